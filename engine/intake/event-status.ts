/**
 * Outcome codes of the per-event guard (hot path returns these ints, STYLE §6) and the field-level
 * problem each one becomes at the API boundary.
 */
export const enum EventStatus {
  Ok = 0,
  /** Valid, but older than the longest ring window: counted as late_dropped, not folded. */
  Late = 1,
  NotObject,
  SellerMissing,
  SellerNotString,
  SellerFormat,
  SellerEmail,
  SellerPhone,
  TimestampMissing,
  TimestampType,
  TimestampNotInteger,
  TimestampNegative,
  TimestampIso,
  TimestampFuture,
  TypeMissing,
  TypeNotString,
  TypeUnknown,
  ValueRequired,
  ValueType,
  ValueNotFinite,
  ValueNegative,
  ValueTooLarge,
  EventIdType,
  EventIdFormat,
  /** Same (seller, eventId) seen recently: acknowledged, not counted again. */
  Duplicate,
  /** The seller's shard has no free seller slot. */
  SellerCapacity,
}

/** Snake-case names of the statuses, by value (metric labels and logs). */
export const kEventStatusNames: readonly string[] = [
  'ok', 'late', 'not_object', 'seller_missing', 'seller_not_string', 'seller_format', 'seller_email', 'seller_phone',
  'timestamp_missing', 'timestamp_type', 'timestamp_not_integer', 'timestamp_negative', 'timestamp_iso', 'timestamp_future',
  'type_missing', 'type_not_string', 'type_unknown', 'value_required', 'value_type', 'value_not_finite', 'value_negative',
  'value_too_large', 'event_id_type', 'event_id_format', 'duplicate', 'seller_capacity',
];

export interface FieldProblem {
  path: string;
  message: string;
}

const problems: Record<number, FieldProblem> = {
  [EventStatus.NotObject]: { path: '', message: 'an event must be an object {sellerId, timestamp, type, value}' },
  [EventStatus.SellerMissing]: { path: '/sellerId', message: 'sellerId is required' },
  [EventStatus.SellerNotString]: { path: '/sellerId', message: 'sellerId must be a string' },
  [EventStatus.SellerFormat]: { path: '/sellerId', message: 'sellerId must match ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' },
  [EventStatus.SellerEmail]: { path: '/sellerId', message: 'sellerId looks like an e-mail address; use an opaque surrogate key' },
  [EventStatus.SellerPhone]: { path: '/sellerId', message: 'sellerId looks like a phone number; use an opaque surrogate key' },
  [EventStatus.TimestampMissing]: { path: '/timestamp', message: 'timestamp is required' },
  [EventStatus.TimestampType]: { path: '/timestamp', message: 'timestamp must be integer epoch milliseconds or an ISO-8601 string' },
  [EventStatus.TimestampNotInteger]: { path: '/timestamp', message: 'timestamp must be a whole number of milliseconds' },
  [EventStatus.TimestampNegative]: { path: '/timestamp', message: 'timestamp must not be negative' },
  [EventStatus.TimestampIso]: { path: '/timestamp', message: 'timestamp string is not a valid ISO-8601 date-time with a zone' },
  [EventStatus.TimestampFuture]: { path: '/timestamp', message: 'timestamp is further in the future than the allowed clock skew' },
  [EventStatus.TypeMissing]: { path: '/type', message: 'type is required' },
  [EventStatus.TypeNotString]: { path: '/type', message: 'type must be a string' },
  [EventStatus.TypeUnknown]: { path: '/type', message: 'type is not one of the configured event types' },
  [EventStatus.ValueRequired]: { path: '/value', message: 'value is required for this event type' },
  [EventStatus.ValueType]: { path: '/value', message: 'value must be a number' },
  [EventStatus.ValueNotFinite]: { path: '/value', message: 'value must be finite' },
  [EventStatus.ValueNegative]: { path: '/value', message: 'value must be ≥ 0' },
  [EventStatus.ValueTooLarge]: { path: '/value', message: 'value exceeds the configured maximum' },
  [EventStatus.EventIdType]: { path: '/eventId', message: 'eventId must be a string' },
  [EventStatus.EventIdFormat]: { path: '/eventId', message: 'eventId must be 1..maxEventIdLength printable ASCII characters' },
  [EventStatus.Duplicate]: { path: '/eventId', message: 'duplicate eventId for this seller: already counted' },
  [EventStatus.SellerCapacity]: { path: '/sellerId', message: 'no capacity for a new seller on its shard' },
};

export function problemOf(status: EventStatus): FieldProblem {
  return problems[status] ?? { path: '', message: 'invalid event' };
}

/** Statuses that are an outcome rather than an error: the event is not rejected. */
export function isAcceptedOutcome(status: EventStatus): boolean {
  return status === EventStatus.Ok || status === EventStatus.Late || status === EventStatus.Duplicate;
}
