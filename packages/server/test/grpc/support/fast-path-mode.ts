// The gRPC suite runs twice: as is, and once more (slow-path.test.ts) with every unary call sent
// through Connect instead of the raw HTTP/2 fast path, to show both paths answer alike.

export const UNARY_FAST_PATH_VARIABLE = 'ENSIGN_TEST_GRPC_UNARY_FAST_PATH';

/** Whether the servers these tests start use the unary fast path. */
export const unaryFastPath = process.env[UNARY_FAST_PATH_VARIABLE] !== 'off';
