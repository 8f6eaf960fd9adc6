/**
 * Every `l2tp-wire` command, by name. A new command is one module under `commands/` and one
 * entry here.
 */
import type { Command } from './command.js';
import { decodeCommand } from './decode.js';
import { lnsCommand } from './lns.js';
import { loginCommand } from './login.js';
import { probeCommand } from './probe.js';
import { relayCommand } from './relay.js';
import { sessionCommand } from './session.js';

export const COMMANDS: readonly Command[] = [probeCommand, sessionCommand, loginCommand, lnsCommand, relayCommand, decodeCommand];
