import type { Logger } from '@openfeature/server-sdk';

/** A logger that drops everything: for flagd-core's own evaluations, whose logs are ours to word. */
export const SILENT: Logger = { error() {}, warn() {}, info() {}, debug() {} };
