/**
 * What the sessions of a tunnel need from it ({@link SessionHost}), as prototype methods over one
 * reference to the tunnel's core. The session table extends it, so a tunnel with calls holds one
 * object for both, and one without calls holds neither (issue 16: memory per tunnel + session).
 * @internal
 */
import type { MessageOptions } from '../wire/builders.js';
import type { SessionHost } from './sessions.js';
import type { TunnelCore } from './tunnel-core.js';
import type { PeerInfo, TunnelAction } from './types.js';

/** @internal */
export class SessionHostOf implements SessionHost {
  constructor(protected readonly c: TunnelCore) {}
  core(): TunnelCore {
    return this.c;
  }
  common(sessionId: number): MessageOptions {
    return this.c.common(sessionId);
  }
  sendControl(bytes: Uint8Array): void {
    this.c.sendControl(bytes);
  }
  emit(a: TunnelAction): void {
    this.c.acts.push(a);
  }
  peerTunnelId(): number {
    return this.c.peerId;
  }
  peer(): PeerInfo | undefined {
    return this.c.peer;
  }
  now(): number {
    return this.c.now;
  }
}
