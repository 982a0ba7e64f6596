import { FlagstateError } from '@flagstate/audit';

/**
 * A store that refuses new subjects rather than forget known ones (`whenFull: "refuse"`) is
 * full. The subject is not tracked; known subjects keep their records.
 */
export class StoreFullError extends FlagstateError {
  readonly code = 'STORE_FULL';

  constructor(machine: string, maxSubjects: number) {
    super(
      `state store is full: machine "${machine}" already tracks ${maxSubjects} subjects (maxSubjects); a new subject is not tracked, and no known one is forgotten`,
    );
  }
}
