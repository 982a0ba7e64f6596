/** A simulated shopper: the evaluation context the load generator sends. */
export interface SimulatedUser {
  readonly targetingKey: string;
  readonly region: string;
  readonly plan: string;
}

const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
const PLANS = ['free', 'free', 'pro', 'enterprise'] as const;

/** `count` users, `user-0001` upwards, with regions and plans spread deterministically. */
export function simulatedUsers(count: number): SimulatedUser[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => ({
    targetingKey: `user-${String(i + 1).padStart(Math.max(4, width), '0')}`,
    region: REGIONS[i % REGIONS.length]!,
    plan: PLANS[(i * 7) % PLANS.length]!,
  }));
}
