/**
 * Numbers from the RFCs and the IANA "PPP Numbers" registry, named as the RFCs name them.
 */

/**
 * PPP Protocol field values (RFC 1661 §2, IANA "PPP DLL Protocol Numbers").
 * @example
 * ```ts
 * parsePppFrame(bytes).protocol === PppProtocol.LCP;
 * ```
 */
export const PppProtocol = {
  IPv4: 0x0021,
  IPv6: 0x0057,
  IPCP: 0x8021,
  IPV6CP: 0x8057,
  LCP: 0xc021,
  PAP: 0xc023,
  CHAP: 0xc223,
} as const;

/**
 * Control packet codes (RFC 1661 §5; 8–11 are LCP's only, §5.7–5.9).
 * @example
 * ```ts
 * encodeControlPacket({ code: CpCode.EchoRequest, identifier: 1, data });
 * ```
 */
export const CpCode = {
  ConfigureRequest: 1,
  ConfigureAck: 2,
  ConfigureNak: 3,
  ConfigureReject: 4,
  TerminateRequest: 5,
  TerminateAck: 6,
  CodeReject: 7,
  ProtocolReject: 8,
  EchoRequest: 9,
  EchoReply: 10,
  DiscardRequest: 11,
} as const;

/**
 * LCP Configuration Option types (RFC 1661 §6).
 * @example
 * ```ts
 * options.find((o) => o.type === LcpOption.MagicNumber);
 * ```
 */
export const LcpOption = {
  MaximumReceiveUnit: 1,
  AuthenticationProtocol: 3,
  QualityProtocol: 4,
  MagicNumber: 5,
  ProtocolFieldCompression: 7,
  AddressControlFieldCompression: 8,
} as const;

/**
 * IPCP Configuration Option types (RFC 1332 §3, RFC 1877 §1).
 * @example
 * ```ts
 * options.find((o) => o.type === IpcpOption.PrimaryDns);
 * ```
 */
export const IpcpOption = {
  IpCompressionProtocol: 2,
  IpAddress: 3,
  PrimaryDns: 129,
  PrimaryNbns: 130,
  SecondaryDns: 131,
  SecondaryNbns: 132,
} as const;

/**
 * IPV6CP Configuration Option types (RFC 5072 §4).
 * @example
 * ```ts
 * options.find((o) => o.type === Ipv6cpOption.InterfaceIdentifier);
 * ```
 */
export const Ipv6cpOption = {
  InterfaceIdentifier: 1,
  Ipv6CompressionProtocol: 2,
} as const;

/**
 * CHAP Algorithm values in the LCP Authentication-Protocol option (RFC 1994 §3, RFC 2759 §2).
 * @example
 * ```ts
 * ChapAlgorithm.MD5 === 5;
 * ```
 */
export const ChapAlgorithm = {
  MD5: 5,
  MSCHAPv2: 0x81,
} as const;
