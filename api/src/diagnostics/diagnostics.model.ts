import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DiagnosticsPoint as PointRecord } from '../store/records.js';
import type { LockDiagnosticsView } from './lock-diagnostics.js';

export enum DiagnosticsRange {
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(DiagnosticsRange, { name: 'DiagnosticsRange', description: 'DAY: the last 24 hours. WEEK: the last 7 days.' });

@ObjectType({ description: 'One sampled reading: at most one per lock every DIAGNOSTICS_SAMPLE_INTERVAL, plus each change of availability, battery band or boot.' })
export class DiagnosticsPoint {
  @Field()
  at: Date;

  @Field({ description: 'False from the moment the lock went Unavailable until its next valid status.' })
  online: boolean;

  @Field(() => Int, { nullable: true, description: 'Battery %, null while offline or without a battery.' })
  battery: number | null;

  @Field(() => Int, { nullable: true, description: 'Wi-Fi signal in dBm, null while offline.' })
  rssi: number | null;

  static from(point: PointRecord): DiagnosticsPoint {
    return Object.assign(new DiagnosticsPoint(), { at: point.at, online: point.online, battery: point.battery, rssi: point.rssi });
  }
}

@ObjectType({ description: "A lock's health: its readings now and their history over a range." })
export class LockDiagnostics {
  @Field(() => DiagnosticsRange)
  range: DiagnosticsRange;

  @Field({ description: 'Start of the range (server clock).' })
  from: Date;

  @Field({ description: 'End of the range: now.' })
  to: Date;

  @Field(() => [DiagnosticsPoint], { description: 'Oldest first.' })
  points: DiagnosticsPoint[];

  @Field(() => Int, { nullable: true, description: 'Seconds since the lock booted, as of its last status; null while offline or unknown.' })
  uptime: number | null;

  @Field(() => String, { nullable: true })
  firmware: string | null;

  @Field(() => Int, { nullable: true, description: 'Battery % now.' })
  battery: number | null;

  @Field(() => Int, { nullable: true, description: 'Wi-Fi signal in dBm now.' })
  rssi: number | null;

  static from(view: LockDiagnosticsView): LockDiagnostics {
    return Object.assign(new LockDiagnostics(), { ...view, range: view.range as DiagnosticsRange, points: view.points.map((p) => DiagnosticsPoint.from(p)) });
  }
}
