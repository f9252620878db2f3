/** The settings runs go by (`orch.batch`), apart from the service that applies them so that every part of a run can read them. */

/** `orch.batch` as resolved from the config. */
export interface BatchSettings {
  approveAll: boolean;
  maxResultChars: number;
  /** Most tasks of one run running on one server at once. */
  perServerConcurrency?: number;
}
