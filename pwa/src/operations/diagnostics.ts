import { graphql } from '../gql';

export const LockDiagnosticsDocument = graphql(`
  query LockDiagnostics($deviceId: ID!, $range: DiagnosticsRange!) {
    lock(deviceId: $deviceId) {
      deviceId
      diagnostics(range: $range) {
        range
        from
        to
        uptime
        firmware
        battery
        rssi
        points {
          at
          online
          battery
          rssi
        }
      }
    }
  }
`);
