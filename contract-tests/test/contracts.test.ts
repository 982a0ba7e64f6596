// Every contract against every setup. A new setup: one file in src/setups, listed in its index.
import {
  auditLogContract,
  contextPropagationContract,
  exceptionsContract,
  restartContract,
  stateConsistencyContract,
  transitionTimingContract,
} from '../src/index.js';
import { setups } from '../src/setups/index.js';

for (const setup of setups) {
  stateConsistencyContract(setup);
  transitionTimingContract(setup);
  contextPropagationContract(setup);
  exceptionsContract(setup);
  auditLogContract(setup);
  restartContract(setup);
}
