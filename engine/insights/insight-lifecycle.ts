/**
 * The insight lifecycle (issue 6): Generated → Confirmed (re-observed in later data, or confirmed by
 * a user) → Expired (past its TTL, or rejected by a user) or Superseded (a newer insight of the same
 * kind replaced it). Generated may also expire or be superseded directly. Every transition is kept
 * with its time and cause; anything else is refused.
 */
import type { InsightRecord, InsightState } from './insight-record.js';

const kAllowed: Record<InsightState, readonly InsightState[]> = {
  generated: ['confirmed', 'expired', 'superseded'],
  confirmed: ['expired', 'superseded'],
  expired: [],
  superseded: [],
};

export class TransitionError extends Error {
  constructor(readonly from: InsightState, readonly to: InsightState) {
    super(`an insight cannot go from ${from} to ${to}`);
  }
}

export function canTransition(from: InsightState, to: InsightState): boolean {
  return kAllowed[from].includes(to);
}

/** A copy of `insight` in state `to`, with the transition recorded (at most `maxTransitions` kept). */
export function transition(insight: InsightRecord, to: InsightState, at: number, cause: string, maxTransitions: number): InsightRecord {
  if (!canTransition(insight.state, to)) throw new TransitionError(insight.state, to);
  const transitions = [...insight.transitions, { from: insight.state, to, at, cause }];
  if (transitions.length > maxTransitions) transitions.splice(1, transitions.length - maxTransitions);
  return { ...insight, state: to, transitions };
}
