// The one error type of this folder. A server maps it to a w:SchemaValidationError fault
// (MS-WSMV §3.1.4: a message that does not match the schema is answered with a Sender fault).

export type WsmanParseErrorKind =
  | 'malformed-xml'
  | 'not-soap-envelope'
  | 'missing-header'
  | 'missing-body'
  | 'missing-action'
  | 'missing-message-id'
  | 'missing-element'
  | 'bad-value';

export class WsmanParseError extends Error {
  override readonly name = 'WsmanParseError';
  constructor(
    readonly kind: WsmanParseErrorKind,
    message: string,
    /** MessageID of the request, when parsing got that far: the fault's RelatesTo. */
    readonly messageId?: string,
  ) {
    super(message);
  }
}
