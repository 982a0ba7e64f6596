// Every contract against every setup. A new setup: one file in src/setups, listed in its index.
import {
  auditLogContract,
  contextPropagationContract,
  exceptionsContract,
  setups,
  stateConsistencyContract,
  transitionTimingContract,
} from '../src/index.js';

for (const setup of setups) {
  stateConsistencyContract(setup);
  transitionTimingContract(setup);
  contextPropagationContract(setup);
  exceptionsContract(setup);
  auditLogContract(setup);
}
