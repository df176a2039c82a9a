import { DEFAULT_ACTIVITY_SLOTS, WorkerTuningError, workerTuning } from '../../src/workers/worker-tuning';

describe('workerTuning', () => {
  it('sizes activity slots for working orders by default', () => {
    expect(workerTuning({})).toEqual({ maxConcurrentActivityTaskExecutions: DEFAULT_ACTIVITY_SLOTS });
  });

  it('takes ORDO_WORKER_ACTIVITY_SLOTS', () => {
    expect(workerTuning({ ORDO_WORKER_ACTIVITY_SLOTS: '5000' })).toEqual({
      maxConcurrentActivityTaskExecutions: 5000,
    });
  });

  it.each(['0', '-3', '1.5', 'many', '1e400'])(
    'refuses ORDO_WORKER_ACTIVITY_SLOTS=%s with a typed error',
    (raw) => {
      expect(() => workerTuning({ ORDO_WORKER_ACTIVITY_SLOTS: raw })).toThrow(WorkerTuningError);
      expect(() => workerTuning({ ORDO_WORKER_ACTIVITY_SLOTS: raw })).toThrow(/positive integer/);
    },
  );
});
