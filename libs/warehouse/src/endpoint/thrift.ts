import { createRequire } from 'node:module';

/**
 * Typed access to the Thrift runtime and the generated TCLIService code that ships inside
 * `@databricks/sql/thrift/` (the same files the driver uses, so the wire format cannot drift).
 * The generated `.d.ts` files are ambient declarations without exports, so the modules are
 * loaded with `require()` and described here by the subset this endpoint reads and writes.
 * Field names and numbers follow `TCLIService.thrift` (HiveServer2 + Databricks extensions).
 */

const require = createRequire(import.meta.url);

/** A node-int64 value: 8 big-endian bytes. */
export interface Int64 {
  readonly buffer: Buffer;
  toNumber(allowImprecise?: boolean): number;
}

interface Int64Constructor {
  new (value: Buffer | number): Int64;
}

/** The `node-int64` class the Thrift runtime uses for i64 fields. */
export const Int64: Int64Constructor = require('node-int64') as Int64Constructor;

/** An exact 64-bit integer as a node-int64 (for `i64Val` columns, which must not round). */
export function int64FromBigInt(value: bigint): Int64 {
  const buffer = Buffer.allocUnsafe(8);
  buffer.writeBigInt64BE(value);
  return new Int64(buffer);
}

// ---- enums (values fixed by the Thrift IDL) ---------------------------------------------------

/** IDL enum `TStatusCode` (the values used here). */
export const TStatusCode = { SUCCESS_STATUS: 0, ERROR_STATUS: 3, INVALID_HANDLE_STATUS: 4 } as const;
export type TStatusCode = (typeof TStatusCode)[keyof typeof TStatusCode];

/** IDL enum `TOperationState` (the values used here). */
export const TOperationState = {
  RUNNING_STATE: 1,
  FINISHED_STATE: 2,
  CANCELED_STATE: 3,
  CLOSED_STATE: 4,
  ERROR_STATE: 5,
} as const;
export type TOperationState = (typeof TOperationState)[keyof typeof TOperationState];

/** IDL enum `TTypeId` (the values used here). */
export const TTypeId = {
  BOOLEAN_TYPE: 0,
  TINYINT_TYPE: 1,
  SMALLINT_TYPE: 2,
  INT_TYPE: 3,
  BIGINT_TYPE: 4,
  FLOAT_TYPE: 5,
  DOUBLE_TYPE: 6,
  STRING_TYPE: 7,
  TIMESTAMP_TYPE: 8,
  BINARY_TYPE: 9,
  ARRAY_TYPE: 10,
  MAP_TYPE: 11,
  STRUCT_TYPE: 12,
  DECIMAL_TYPE: 15,
  DATE_TYPE: 17,
} as const;
export type TTypeId = (typeof TTypeId)[keyof typeof TTypeId];

/** IDL enum `TSparkRowSetType` (the values used here). */
export const TSparkRowSetType = { ARROW_BASED_SET: 0, COLUMN_BASED_SET: 1 } as const;
export type TSparkRowSetType = (typeof TSparkRowSetType)[keyof typeof TSparkRowSetType];

/** `SPARK_CLI_SERVICE_PROTOCOL_V8`: the version that carries named/ordinal parameters. */
export const PROTOCOL_V8 = 42248;
/** `TOperationType.EXECUTE_STATEMENT`. */
export const EXECUTE_STATEMENT = 0;

// ---- structs ------------------------------------------------------------------------------------

/** IDL struct `TStatus`: the fields this endpoint reads or writes. */
export interface TStatus {
  readonly statusCode: TStatusCode;
  readonly sqlState?: string;
  readonly errorCode?: number;
  readonly errorMessage?: string;
  readonly displayMessage?: string;
}

/** IDL struct `THandleIdentifier`: the fields this endpoint reads or writes. */
export interface THandleIdentifier {
  readonly guid: Buffer;
  readonly secret: Buffer;
}

/** IDL struct `TSessionHandle`: the fields this endpoint reads or writes. */
export interface TSessionHandle {
  readonly sessionId: THandleIdentifier;
}

/** IDL struct `TOperationHandle`: the fields this endpoint reads or writes. */
export interface TOperationHandle {
  readonly operationId: THandleIdentifier;
  readonly operationType: number;
  readonly hasResultSet: boolean;
}

/** IDL struct `TNamespace`: the fields this endpoint reads or writes. */
export interface TNamespace {
  readonly catalogName?: string | null;
  readonly schemaName?: string | null;
}

/** IDL struct `TOpenSessionReq`: the fields this endpoint reads or writes. */
export interface TOpenSessionReq {
  readonly client_protocol_i64?: Int64 | null;
  readonly initialNamespace?: TNamespace | null;
  readonly configuration?: Readonly<Record<string, string>> | null;
}

/** IDL struct `TOpenSessionResp`: the fields this endpoint reads or writes. */
export interface TOpenSessionResp {
  readonly status: TStatus;
  readonly serverProtocolVersion: number;
  readonly sessionHandle?: TSessionHandle;
  readonly initialNamespace?: TNamespace;
  readonly canUseMultipleCatalogs?: boolean;
}

/** IDL struct `TSparkParameter`: the fields this endpoint reads or writes. */
export interface TSparkParameter {
  readonly name?: string | null;
  readonly type?: string | null;
  readonly value?: { readonly stringValue?: string | null; readonly doubleValue?: number | null; readonly booleanValue?: boolean | null } | null;
}

/** IDL struct `TExecuteStatementReq`: the fields this endpoint reads or writes. */
export interface TExecuteStatementReq {
  readonly sessionHandle: TSessionHandle;
  readonly statement: string;
  readonly getDirectResults?: { readonly maxRows: Int64 } | null;
  readonly canReadArrowResult?: boolean | null;
  readonly parameters?: readonly TSparkParameter[] | null;
}

/** IDL struct `TTypeQualifiers`: the fields this endpoint reads or writes. */
export interface TTypeQualifiers {
  readonly qualifiers: Readonly<Record<string, { readonly i32Value: number }>>;
}

/** IDL struct `TColumnDesc`: the fields this endpoint reads or writes. */
export interface TColumnDesc {
  readonly columnName: string;
  readonly position: number;
  readonly typeDesc: { readonly types: readonly [{ readonly primitiveEntry: { readonly type: TTypeId; readonly typeQualifiers?: TTypeQualifiers } }] };
}

/** IDL struct `TTableSchema`: the fields this endpoint reads or writes. */
export interface TTableSchema {
  readonly columns: readonly TColumnDesc[];
}

/** One column of a column-based row set: exactly one arm is set. `nulls` is a bitmap, bit i%8 of byte i>>3 (LSB first). */
export type TColumn =
  | { readonly boolVal: { readonly values: readonly boolean[]; readonly nulls: Buffer } }
  | { readonly byteVal: { readonly values: readonly number[]; readonly nulls: Buffer } }
  | { readonly i16Val: { readonly values: readonly number[]; readonly nulls: Buffer } }
  | { readonly i32Val: { readonly values: readonly number[]; readonly nulls: Buffer } }
  | { readonly i64Val: { readonly values: readonly Int64[]; readonly nulls: Buffer } }
  | { readonly doubleVal: { readonly values: readonly number[]; readonly nulls: Buffer } }
  | { readonly stringVal: { readonly values: readonly string[]; readonly nulls: Buffer } }
  | { readonly binaryVal: { readonly values: readonly Buffer[]; readonly nulls: Buffer } };

/** IDL struct `TSparkArrowBatch`: the fields this endpoint reads or writes. */
export interface TSparkArrowBatch {
  readonly batch: Buffer;
  readonly rowCount: Int64;
}

/** IDL struct `TRowSet`: the fields this endpoint reads or writes. */
export interface TRowSet {
  readonly startRowOffset: Int64;
  /** Required by the IDL; always empty (row-based sets are not used). */
  readonly rows: readonly never[];
  readonly columns?: readonly TColumn[];
  readonly arrowBatches?: readonly TSparkArrowBatch[];
}

/** IDL struct `TGetResultSetMetadataResp`: the fields this endpoint reads or writes. */
export interface TGetResultSetMetadataResp {
  readonly status: TStatus;
  readonly schema?: TTableSchema;
  readonly resultFormat?: TSparkRowSetType;
  readonly lz4Compressed?: boolean;
  readonly arrowSchema?: Buffer;
}

/** IDL struct `TFetchResultsResp`: the fields this endpoint reads or writes. */
export interface TFetchResultsResp {
  readonly status: TStatus;
  readonly hasMoreRows?: boolean;
  readonly results?: TRowSet;
}

/** IDL struct `TGetOperationStatusResp`: the fields this endpoint reads or writes. */
export interface TGetOperationStatusResp {
  readonly status: TStatus;
  readonly operationState?: TOperationState;
  readonly sqlState?: string;
  readonly errorMessage?: string;
  readonly displayMessage?: string;
  readonly hasResultSet?: boolean;
}

/** IDL struct `TCloseOperationResp`: the fields this endpoint reads or writes. */
export interface TCloseOperationResp {
  readonly status: TStatus;
}

/** IDL struct `TSparkDirectResults`: the fields this endpoint reads or writes. */
export interface TSparkDirectResults {
  readonly operationStatus?: TGetOperationStatusResp;
  readonly resultSetMetadata?: TGetResultSetMetadataResp;
  readonly resultSet?: TFetchResultsResp;
  readonly closeOperation?: TCloseOperationResp;
}

/** IDL struct `TExecuteStatementResp`: the fields this endpoint reads or writes. */
export interface TExecuteStatementResp {
  readonly status: TStatus;
  readonly operationHandle?: TOperationHandle;
  readonly directResults?: TSparkDirectResults;
}

/** IDL struct `TFetchResultsReq`: the fields this endpoint reads or writes. */
export interface TFetchResultsReq {
  readonly operationHandle: TOperationHandle;
  readonly maxRows: Int64;
  readonly fetchType?: number | null;
}

/** IDL struct `TOperationReq`: the fields this endpoint reads or writes. */
export interface TOperationReq {
  readonly operationHandle: TOperationHandle;
}

/** IDL struct `TSessionReq`: the fields this endpoint reads or writes. */
export interface TSessionReq {
  readonly sessionHandle: TSessionHandle;
}

/** IDL struct `TGetInfoReq`: the fields this endpoint reads or writes. */
export interface TGetInfoReq extends TSessionReq {
  readonly infoType: number;
}

/** IDL struct `TGetInfoResp`: the fields this endpoint reads or writes. */
export interface TGetInfoResp {
  readonly status: TStatus;
  readonly infoValue: { readonly stringValue?: string };
}

/** Every RPC of the TCLIService: the generated processor calls `handler[name](req)`. */
export const TCLI_METHODS = [
  'OpenSession',
  'CloseSession',
  'GetInfo',
  'ExecuteStatement',
  'GetTypeInfo',
  'GetCatalogs',
  'GetSchemas',
  'GetTables',
  'GetTableTypes',
  'GetColumns',
  'GetFunctions',
  'GetPrimaryKeys',
  'GetCrossReference',
  'GetOperationStatus',
  'CancelOperation',
  'CloseOperation',
  'GetResultSetMetadata',
  'FetchResults',
  'GetDelegationToken',
  'CancelDelegationToken',
  'RenewDelegationToken',
] as const;
/** The name of one TCLIService RPC. */
export type TcliMethod = (typeof TCLI_METHODS)[number];

/**
 * The service implementation. The generated processor uses the promise style only when a
 * handler function declares exactly one parameter (`handler.X.length === 1`); with any other
 * arity it passes a callback, and an async handler would never answer.
 */
export type TcliHandler = Readonly<Record<TcliMethod, (request: never) => Promise<object>>>;

// ---- runtime: processor, transport, protocol ----------------------------------------------------

interface ThriftProtocol {
  readonly __brand?: 'protocol';
}

interface ThriftTransport {
  commitPosition(): void;
}

interface ThriftRuntime {
  readonly TBufferedTransport: {
    new (buffer: undefined, onFlush: (message: Buffer) => void): ThriftTransport;
    receiver(callback: (transport: ThriftTransport) => void): (data: Buffer) => void;
  };
  readonly TBinaryProtocol: new (transport: ThriftTransport) => ThriftProtocol;
}

interface ThriftProcessor {
  process(input: ThriftProtocol, output: ThriftProtocol): void;
}

const runtime = require('thrift') as ThriftRuntime;
const service = require('@databricks/sql/thrift/TCLIService.js') as { Processor: new (handler: TcliHandler) => ThriftProcessor };

/**
 * Decodes one TBinaryProtocol message (the whole HTTP body: the driver uses TBufferedTransport,
 * no framing), dispatches it to `handler`, and calls `reply` with the encoded reply message.
 */
export function createThriftDispatcher(handler: TcliHandler): (body: Buffer, reply: (message: Buffer) => void) => void {
  for (const method of TCLI_METHODS) {
    if (handler[method].length !== 1) throw new Error(`TCLIService handler ${method} must declare exactly one parameter`);
  }
  const processor = new service.Processor(handler);
  return (body, reply) => {
    runtime.TBufferedTransport.receiver((transport) => {
      const output = new runtime.TBinaryProtocol(new runtime.TBufferedTransport(undefined, reply));
      processor.process(new runtime.TBinaryProtocol(transport), output);
      transport.commitPosition();
    })(body);
  };
}
