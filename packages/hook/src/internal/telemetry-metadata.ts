/**
 * Flag metadata keys that OpenFeature's Appendix D maps to OpenTelemetry attributes (the SDK's
 * `TelemetryFlagMetadata`): `contextId` to `feature_flag.context.id` (else the targeting key),
 * `flagSetId` to `feature_flag.set.id`, `version` to `feature_flag.version`.
 */
export const TELEMETRY_METADATA = {
  contextId: 'contextId',
  flagSetId: 'flagSetId',
  version: 'version',
} as const;

/**
 * A flag metadata value as an attribute string: strings as they are (an empty one is none),
 * numbers in decimal; booleans and absent keys give none.
 */
export function metadataString(
  meta: Readonly<Record<string, string | number | boolean>>,
  key: string,
): string | undefined {
  const v = meta[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}
