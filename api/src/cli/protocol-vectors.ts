/**
 * `npm run vectors`: writes the protocol v2 and v3 vectors (hkdfRfc5869, v2Keys,
 * v2MqttPassword, v2Cases, v3Cases) into docs/protocol-vectors.json after its v1 part.
 * Run it after `make -C firmware vectors`, which rewrites the file with the v1 part only.
 * Also writes docs/ble-vectors.json (Bluetooth offline keys, devices/protocol/vectors-ble.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiRoot } from '../app/paths.js';
import { withV2Vectors } from '../devices/protocol/vectors-v2.js';
import { buildVectors } from '../devices/protocol/vectors-v3.js';
import { bleVectorsText } from '../devices/protocol/vectors-ble.js';

const file = join(apiRoot(), '..', 'docs', 'protocol-vectors.json');
const text = withV2Vectors(readFileSync(file, 'utf8'), buildVectors());
JSON.parse(text); // never write a file the readers cannot parse
writeFileSync(file, text);
process.stdout.write(`wrote the v2 and v3 vectors into ${file}\n`);

const bleFile = join(apiRoot(), '..', 'docs', 'ble-vectors.json');
writeFileSync(bleFile, bleVectorsText());
process.stdout.write(`wrote the Bluetooth vectors into ${bleFile}\n`);
