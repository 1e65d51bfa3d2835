/** An argument error of k6/x/tcp (the extension's Go error text); the socket wraps it into its TCPError. */
export class TcpArgError extends Error {}
