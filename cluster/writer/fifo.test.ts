import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('gives items back in the order they were pushed, across compactions', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      fifo.push(i);
      if (i % 3 === 0) out.push(fifo.shift()!);
    }
    while (fifo.length > 0) out.push(fifo.shift()!);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(fifo.shift()).toBeUndefined();
  });

  it('finds the first item of an ordered suffix by binary search', () => {
    const fifo = new Fifo<number>();
    for (const n of [1, 3, 5, 7, 9]) fifo.push(n);
    fifo.shift();
    expect(fifo.firstIndexWhere((n) => n > 5)).toBe(2);
    expect(fifo.at(2)).toBe(7);
    expect(fifo.firstIndexWhere((n) => n > 100)).toBe(4);
    expect(fifo.back()).toBe(9);
  });
});
