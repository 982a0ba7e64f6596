// Consuming the audit stream: in process, and as an NDJSON file followed by `flagstate tail`.
import { runAuditConsumer } from './consume.js';

const { lines } = await runAuditConsumer();
for (const line of lines) console.log(line);
