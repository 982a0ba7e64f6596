import type { Client, EvaluationContextValue, EvaluationDetails, JsonValue } from '@openfeature/server-sdk';
import type { World } from './gherkin-runner.js';
import { openSession, type ProviderSession } from './provider-session.js';
import type { FlagType } from './step-values.js';

/** The flag a scenario is about: `a <Type>-flag with key "K" and a fallback value "V"`. */
export interface FlagUnderTest {
  readonly type: FlagType;
  readonly key: string;
  readonly fallback: JsonValue;
}

/** What one scenario builds up: its provider, context, flag and last evaluation. */
export class ConformanceWorld implements World {
  #session: ProviderSession | undefined;
  context: Record<string, EvaluationContextValue> = {};
  #flag: FlagUnderTest | undefined;
  #details: EvaluationDetails<JsonValue> | undefined;

  /** A fresh provider over `document`; the previous one (if any) is closed. */
  async start(document: object): Promise<void> {
    await this.#session?.close();
    this.#session = undefined;
    this.#session = await openSession(document);
    this.context = {};
    this.#flag = undefined;
    this.#details = undefined;
  }

  get session(): ProviderSession {
    if (this.#session === undefined) throw new Error('no provider yet: the scenario has not set one up');
    return this.#session;
  }

  get client(): Client {
    return this.session.client;
  }

  get flag(): FlagUnderTest {
    if (this.#flag === undefined) throw new Error('no flag yet: the scenario has not named one');
    return this.#flag;
  }

  set flag(flag: FlagUnderTest) {
    this.#flag = flag;
    this.#details = undefined;
  }

  get details(): EvaluationDetails<JsonValue> {
    if (this.#details === undefined)
      throw new Error('no evaluation yet: the scenario has not evaluated a flag');
    return this.#details;
  }

  set details(details: EvaluationDetails<JsonValue>) {
    this.#details = details;
  }

  async dispose(): Promise<void> {
    await this.#session?.close();
    this.#session = undefined;
  }
}
