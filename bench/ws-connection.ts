/**
 * One load-generator WebSocket: its in-flight slots (each owning a private copy of a pre-encoded
 * frame), the seq counter, the frames in flight by seq, and — in paced mode — the free slots and
 * the scheduled send times still waiting for a free slot.
 */
import WebSocket from 'ws';
import { benchConfig } from './bench-config.js';
import { buildFrame, cloneFrame, type FrameTemplate, type WsFormat } from './ws-frames.js';

export interface Slot {
  frame: FrameTemplate;
  seq: number;
  /** Intended send time of this seq (paced: its schedule; closed loop: when it was sent). */
  firstSentAt: number;
  /** Time of the latest transmission (a retry re-transmits). */
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

export interface TemplateSpec {
  format: WsFormat;
  eventsPerFrame: number;
  sellers: readonly string[];
  nowMs: number;
  seed: number;
}

const zeroMask = (mask: Buffer) => mask.fill(0);

/** Distinct frames for one connection, rotating over the sellers. */
export function prepareTemplates(spec: TemplateSpec, connection: number): FrameTemplate[] {
  const count = benchConfig.ws.distinctFrames;
  return Array.from({ length: count }, (_, k) => {
    const n = connection * count + k;
    return buildFrame({
      format: spec.format, eventsPerFrame: spec.eventsPerFrame, sellers: spec.sellers, nowMs: spec.nowMs,
      seed: spec.seed + n, sellerOffset: n * spec.eventsPerFrame,
    });
  });
}

export class Connection {
  readonly socket: WebSocket;
  readonly slots: Slot[];
  readonly inFlight = new Map<number, Slot>();
  /** Paced mode: slots not in flight, and scheduled send times waiting for one. */
  readonly free: Slot[] = [];
  readonly backlog: number[] = [];
  nextSeq = 1;

  constructor(url: string, templates: FrameTemplate[], window: number, useZeroMask: boolean) {
    this.socket = new WebSocket(url, {
      perMessageDeflate: false, headers: { authorization: `Bearer ${benchConfig.apiKey}` }, ...(useZeroMask ? { generateMask: zeroMask } : {}),
    });
    this.slots = Array.from({ length: window }, (_, i) => ({
      frame: cloneFrame(templates[i % templates.length]), seq: -1, firstSentAt: 0, sentAt: 0, timer: null,
    }));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  /** True when nothing is in flight and no retry is pending. */
  get idle(): boolean {
    return this.inFlight.size === 0 && this.slots.every((s) => s.timer === null);
  }
}
