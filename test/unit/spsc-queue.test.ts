import { describe, expect, it } from 'vitest';
import { allocateQueue, QueueProducer, QueueConsumer } from '../../dist/engine/queue/spsc-queue.js';
import { kHead, kTail } from '../../dist/engine/queue/layout.js';

describe('SPSC queue', () => {
  it('delivers records in order across int32 counter wrap-around and reports free space', () => {
    const buffers = allocateQueue(1024);
    const ctl = new Int32Array(buffers.control);
    const start = 2 ** 31 - 700; // counters wrap past 2^31 during the test
    ctl[kHead] = start | 0;
    ctl[kTail] = start | 0;
    const producer = new QueueProducer(buffers, 1 << 30);
    const consumer = new QueueConsumer(buffers);
    let expected = 0;
    for (let round = 0; round < 10; round++) {
      expect(producer.free()).toBe(1024);
      for (let i = 0; i < 1000; i++) producer.write(round * 1000 + i, i * 0.5, i % 7, i % 3);
      expect(producer.free()).toBe(24);
      producer.publish();
      const tail = consumer.tail();
      let n = consumer.head;
      while (n !== tail) {
        const idx = consumer.index(n);
        expect(consumer.f64[idx * 3]).toBe(expected);
        expect(consumer.f64[idx * 3 + 1]).toBe((expected % 1000) * 0.5);
        expect(consumer.u32[idx * 6 + 4]).toBe((expected % 1000) % 7);
        expect(consumer.u32[idx * 6 + 5]).toBe((expected % 1000) % 3);
        expected++;
        n = (n + 1) | 0;
      }
      consumer.release(tail);
    }
    expect(expected).toBe(10_000);
    expect(ctl[kHead]).toBe((start + 10_000) | 0);
    expect(ctl[kHead]).toBeLessThan(0); // wrapped
  });

  it('does not publish writes before publish()', () => {
    const buffers = allocateQueue(1024);
    const producer = new QueueProducer(buffers, 1 << 30);
    const consumer = new QueueConsumer(buffers);
    producer.write(1, 1, 0, 0);
    expect(consumer.tail()).toBe(consumer.head);
    producer.publish();
    expect((consumer.tail() - consumer.head) | 0).toBe(1);
  });
});
