import { describe, expect, it } from 'vitest';
import { faultWindows } from './fault-windows.js';
import { historyWrite } from './test-support/history-writer.js';

describe('fault windows', () => {
  it('runs from the time a start took effect to the time its stop took effect', () => {
    const history = historyWrite()
      .at(10)
      .nemesis('invoke', 'start-partition', { targets: ['n1'] })
      .at(20)
      .nemesis('info', 'start-partition', { targets: ['n1'] })
      .at(50)
      .nemesis('invoke', 'stop-partition', null)
      .at(60)
      .nemesis('info', 'stop-partition', null).events;
    expect(faultWindows(history)).toEqual([{ fault: 'partition', targets: ['n1'], startNs: 20e6, endNs: 60e6 }]);
  });

  it('leaves a window open (endNs null) when the history ends before the heal', () => {
    const history = historyWrite()
      .at(5)
      .nemesis('info', 'start-kill', { targets: ['n2'] }).events;
    expect(faultWindows(history)).toEqual([{ fault: 'kill', targets: ['n2'], startNs: 5e6, endNs: null }]);
  });

  it('ignores a start that never took effect', () => {
    const history = historyWrite()
      .nemesis('invoke', 'start-pause', { targets: ['n1'] })
      .nemesis('fail', 'start-pause', { targets: ['n1'] }).events;
    expect(faultWindows(history)).toEqual([]);
  });

  it('ignores fault operations the nemesis recorded with an error, so a failed heal leaves the window open', () => {
    const history = historyWrite()
      .at(1)
      .nemesis('info', 'start-pause', { targets: ['n1'] })
      .at(2)
      .nemesis('info', 'start-kill', { targets: ['n2'] })
      .at(3)
      .nemesis('info', 'stop-pause', { targets: ['n1'] }, 'nemesis-timeout')
      .at(4)
      .nemesis('info', 'start-kill', { targets: ['n3'] }, 'nemesis-error: no such node').events;
    expect(faultWindows(history).map((window) => [window.fault, window.endNs])).toEqual([
      ['pause', null],
      ['kill', null],
    ]);
  });

  it('closes only the window whose targets a stop names', () => {
    const history = historyWrite()
      .at(1)
      .nemesis('info', 'start-kill', { targets: ['n1'] })
      .at(2)
      .nemesis('info', 'start-kill', { targets: ['n2'] })
      .at(3)
      .nemesis('info', 'stop-kill', { targets: ['n1'] }).events;
    expect(faultWindows(history).map((window) => [window.targets, window.endNs])).toEqual([
      [['n1'], 3e6],
      [['n2'], null],
    ]);
  });

  it('heals every open window of the fault with a stop that names no single window', () => {
    const history = historyWrite()
      .at(1)
      .nemesis('info', 'start-partition', { targets: ['n1'] })
      .at(2)
      .nemesis('info', 'start-partition', { targets: ['n4', 'n5'] })
      .at(3)
      .nemesis('info', 'start-kill', { targets: ['n6'] })
      .at(4)
      .nemesis('info', 'stop-partition', { targets: ['n1', 'n4', 'n5'] }).events;
    expect(faultWindows(history).map((window) => [window.fault, window.endNs])).toEqual([
      ['partition', 4e6],
      ['partition', 4e6],
      ['kill', null],
    ]);
  });

  it('does not take phase markers or client operations for faults', () => {
    const history = historyWrite().phase('heal').op(0, 'write', 'r', 1, 'ok').phase('final').events;
    expect(faultWindows(history)).toEqual([]);
  });

  it('reads numeric targets as strings and a missing target list as none', () => {
    const history = historyWrite()
      .nemesis('info', 'start-clock', { targets: [3, 'n1'] })
      .nemesis('info', 'start-slow', null).events;
    expect(faultWindows(history).map((window) => window.targets)).toEqual([['3', 'n1'], []]);
  });
});
