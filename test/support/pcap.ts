/** The pcap writer lives in src/cli (the CLI's --pcap uses it); tests share it. */
export * from '../../src/cli/pcap.js';
