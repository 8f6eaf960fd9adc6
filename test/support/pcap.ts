/** The pcap writer of the `l2tp-wire/pcap` subpath (the CLI's --pcap uses it too); tests share it. */
export * from '../../src/pcap/write.js';
