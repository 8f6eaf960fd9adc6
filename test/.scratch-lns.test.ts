import { it } from 'vitest';
import { openTunnel } from '../src/index.js';
import { createLns, udpTransport } from '../src/node.js';
it('x', async () => {
const lns = await createLns({ hostName: 'lns.example', port: 0 });
const { address, port } = lns.address();
const tunnel = await openTunnel(await udpTransport({ host: address, port }), { hostName: 'lac.example', timeout: 5000 });
const downs: string[] = [];
lns.on('tunnel-down', (_t, why) => downs.push(`${why.by} ${why.result?.result}`));
lns.on('tunnel-up', (_t) => downs.push(`up`));
console.error(lns.stats, lns.tunnels().map(t=>t.state));
await lns.close();
const stop = await tunnel.closed;
console.error(downs, lns.stats);
});
