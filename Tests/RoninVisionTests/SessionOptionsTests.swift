import Foundation
import RoninCore
import Testing
@testable import RoninVision

/// Provider, device and thread settings; CUDA's message on a CPU-only install; detector pools.
@Suite(.timeLimit(.minutes(5))) struct SessionOptionsTests {
    @Test func settingsDefaultToTheCPUAndTheProvisionedModel() throws {
        let settings = try VisionSettings(environment: [:])
        // Found from where the test binary was built (this checkout's models/), not the working directory.
        #expect(settings.modelPath == VisionFixtures.modelPath)
        #expect(settings.sessionOptions == SessionOptions())
        #expect(settings.cudaDeviceIDs == [])
    }

    @Test func cudaWithSeveralDevices() throws {
        let settings = try VisionSettings(environment: [
            "ML_PROVIDER": "CUDA", "ML_CUDA_DEVICE_IDS": " 1, 0,1", "ML_THREADS": "3",
            "ML_MODEL_PATH": "/models/yolo11n.onnx", "ORT_LIBRARY_PATH": "/opt/ort/lib",
        ])
        #expect(settings.cudaDeviceIDs == [1, 0])
        #expect(settings.sessionOptions.provider == .cuda(deviceID: 1))
        #expect(settings.sessionOptions.intraOpThreads == 3)
        #expect(settings.sessionOptions.libraryPath == "/opt/ort/lib")
        #expect(settings.modelPath == "/models/yolo11n.onnx")
        #expect(try VisionSettings(environment: ["ML_PROVIDER": "cuda"]).cudaDeviceIDs == [0])
    }

    @Test func malformedSettingsNameTheVariable() {
        let cases: [([String: String], String)] = [
            (["ML_PROVIDER": "tpu"], "ML_PROVIDER"),
            (["ML_THREADS": "-1"], "ML_THREADS"),
            (["ML_THREADS": "many"], "ML_THREADS"),
            (["ML_PROVIDER": "cuda", "ML_CUDA_DEVICE_IDS": "0,gpu1"], "ML_CUDA_DEVICE_IDS"),
            (["ML_PROVIDER": "cuda", "ML_CUDA_DEVICE_IDS": "0,,1"], "ML_CUDA_DEVICE_IDS"),
        ]
        for (environment, name) in cases {
            #expect(throws: Settings.Problem.self, "\(environment)") { try VisionSettings(environment: environment) }
            do {
                _ = try VisionSettings(environment: environment)
            } catch let problem as Settings.Problem {
                #expect(problem.name == name)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func onDeviceMovesOnlyCUDASessions() {
        #expect(SessionOptions(provider: .cuda(deviceID: 0)).onDevice(3).provider == .cuda(deviceID: 3))
        #expect(SessionOptions().onDevice(3).provider == .cpu)
    }

    @Test
    func cudaWithoutTheGPUPackageSaysWhatToInstall() throws {
        try VisionFixtures.require(.model)
        let library = try OnnxRuntime.load()
        let expected = (library.path as NSString).deletingLastPathComponent + "/libonnxruntime_providers_cuda.so"
        #expect(library.cudaProviderPath == expected)
        guard !library.hasCUDAProvider else {
            // onnxruntime-gpu is installed here: CUDA must then actually load on device 0.
            let detector = try YOLODetector(modelPath: VisionFixtures.modelPath,
                                            options: SessionOptions(provider: .cuda(deviceID: 0)), thresholds: .init())
            #expect(detector.session.options.provider == .cuda(deviceID: 0))
            return
        }
        #expect {
            try YOLODetector(modelPath: VisionFixtures.modelPath, options: SessionOptions(provider: .cuda(deviceID: 1)),
                             thresholds: .init())
        } throws: { error in
            error as? OnnxRuntimeError == .cudaProviderMissing(expectedAt: expected)
                && "\(error)".contains("onnxruntime-gpu") && "\(error)".contains("ML_PROVIDER=cpu")
        }
        #expect(throws: OnnxRuntimeError.cudaProviderMissing(expectedAt: expected)) {
            try DetectorPool(modelPath: VisionFixtures.modelPath, options: SessionOptions(provider: .cuda(deviceID: 0)),
                             deviceIDs: [0, 1], thresholds: .init())
        }
    }

    @Test
    func cpuPoolHandsOutDetectorsInTurn() throws {
        try VisionFixtures.require(.model)
        let pool = try DetectorPool(modelPath: VisionFixtures.modelPath, options: SessionOptions(intraOpThreads: 1),
                                    deviceIDs: [4, 5], thresholds: .init(), cpuSessions: 2)
        #expect(pool.detectors.count == 2)
        #expect(pool.deviceIDs == [nil, nil])
        let first = pool.next(), second = pool.next(), third = pool.next()
        #expect(first !== second)
        #expect(first === third)
    }
}
