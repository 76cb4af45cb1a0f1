/**
 * Unit checks of the Status page's detection summary, run under node by
 * tests/frontend/test_status_units.py: availability in plain words (running, not available with
 * the server's reason, switched off), footage waiting in hours, troubled jobs, job kinds, and
 * the live pools' throughput. Prints "ok <n> checks" or exits 1 at the first failed check.
 */
import type { DetectionSettings, QueueStatus, WorkerStatus } from '../src/api/ml';
import { availability, formatFootage, formatRate, kindLabel, measured, providerName, throughput, totalBacklog, troubledJobs } from '../src/pages/status/detectionSummary';
import { done, equal } from './check';

const settings: DetectionSettings = { enabled: true, available: true, reason: null, model: 'yolov3-tiny.onnx', provider: 'cpu', historical_fps: 2 };

// -- availability --------------------------------------------------------------------------------
equal(availability(settings), { tone: 'ok', title: 'Running', detail: 'yolov3-tiny.onnx on CPU, 2 frames per second of footage' }, 'running: model, provider, rate');
equal(availability({ ...settings, historical_fps: 1, provider: 'cuda' }).detail, 'yolov3-tiny.onnx on CUDA GPU, 1 frame per second of footage', 'one frame, on a GPU');
equal(availability({ ...settings, model: null }).detail.startsWith('Model on CPU'), true, 'a missing model name still reads');
const missing = availability({ ...settings, available: false, reason: 'No ONNX Runtime library found (set ORT_LIBRARY_PATH)' });
equal([missing.tone, missing.title, missing.detail], ['bad', 'Not available', 'No ONNX Runtime library found (set ORT_LIBRARY_PATH)'], 'not available: the server\'s reason');
equal(availability({ ...settings, available: false }).detail, 'The server did not say why.', 'not available without a reason');
const off = availability({ ...settings, enabled: false, available: false, reason: null });
equal([off.tone, off.title], ['off', 'Switched off'], 'switched off is not an error');
equal(off.detail, 'Detection is turned off in the settings (ML_ENABLED=false).', 'and says where');
equal(availability({ ...settings, enabled: false, reason: 'ML_ENABLED=false' }).detail, 'ML_ENABLED=false', 'the server\'s words win');
equal(providerName('CUDA'), 'CUDA GPU', 'providers by name, any case');
equal(providerName('rocm'), 'rocm', 'unknown providers as written');

// -- footage and queues -----------------------------------------------------------------------------
equal(formatFootage(0), 'none', 'nothing waiting');
equal(formatFootage(20), '1 min', 'a few seconds round up to a minute');
equal(formatFootage(720), '12 min', 'minutes under an hour');
equal(formatFootage(3 * 3600 + 900), '3.3 h', 'hours with one decimal');
equal(formatFootage(250 * 3600), '250 h', 'many hours without decimals');
equal(formatFootage(NaN), 'none', 'an unreadable number is nothing');
const queues: QueueStatus[] = [
  { kind: 'detect', queued: 12, running: 1, failed: 1, parked: 2, backlog_seconds: 7200 },
  { kind: 'transcode', queued: 0, running: 0, failed: 0, parked: 3, backlog_seconds: 1800 },
];
equal(totalBacklog(queues), 9000, 'backlog across kinds');
equal(troubledJobs(queues), 6, 'failed and parked across kinds');
equal(troubledJobs([]), 0, 'no queues, no trouble');
equal(kindLabel('detect'), 'Detection', 'known kinds by name');
equal(kindLabel('mystery'), 'mystery', 'unknown kinds as written');
equal(kindLabel('webhook'), 'Notifications', 'webhook deliveries as what they are');

// -- throughput of the live pools -------------------------------------------------------------------
const worker = (alive: boolean, fps: number | null, ms: number | null): WorkerStatus => ({
  id: `h:${Math.random()}`, host: 'h', kinds: ['detect'], started_at: '', heartbeat_at: '', alive, jobs: [],
  frames_per_second: fps, inference_ms: ms, detection_available: true, reason: null,
});
equal(throughput([worker(true, 20, 30), worker(true, 5.5, 50), worker(false, 100, 1)]), { framesPerSecond: 25.5, inferenceMs: 40, alive: 2 }, 'live pools add up; gone ones do not count');
equal(throughput([worker(true, null, null)]), { framesPerSecond: null, inferenceMs: null, alive: 1 }, 'a pool that has not measured yet');
equal(throughput([worker(true, 0, 0)]), { framesPerSecond: null, inferenceMs: null, alive: 1 }, 'zero means nothing measured yet');
equal(throughput([worker(true, 0, 0), worker(true, 4, 20)]), { framesPerSecond: 4, inferenceMs: 20, alive: 2 }, 'an idle pool does not pull the mean down');
equal(throughput([]), { framesPerSecond: null, inferenceMs: null, alive: 0 }, 'no pools');
equal(formatRate(7.25), '7.3', 'small rates with a decimal');
equal(formatRate(31.2), '31', 'larger ones without');
equal(formatRate(null), '—', 'none');
equal([measured(0), measured(-1), measured(NaN), measured(null), measured(2.5)], [null, null, null, null, 2.5], 'only positive figures are measurements');

done();
