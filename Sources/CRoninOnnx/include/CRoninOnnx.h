// Our own declarations of the part of the ONNX Runtime C API that Ronin NVR uses.
//
// ONNX Runtime publishes one entry point, OrtGetApiBase(); everything else is reached through
// OrtApi, a table of function pointers whose order is fixed and only ever appended to. Entries
// we do not call are opaque placeholders; each entry we call sits at its published index, and
// CRoninOnnx.c checks every index at compile time. The library is opened with dlopen, never
// linked, so the NVR builds and runs without it (detection is then reported as off).
#ifndef CRONIN_ONNX_H
#define CRONIN_ONNX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The API version we ask for. Libraries from 1.20 on serve it.
#define RONIN_ORT_API_VERSION 20

typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtModelMetadata OrtModelMetadata;
typedef struct OrtArenaCfg OrtArenaCfg;
typedef struct OrtAllocator OrtAllocator;

/// Values of the C enums we pass or read (all C enums are int-sized on our platforms).
enum {
    RONIN_ORT_LOGGING_WARNING = 2,
    RONIN_ORT_ELEMENT_FLOAT = 1,
    RONIN_ORT_DEVICE_ALLOCATOR = 0,
    RONIN_ORT_MEM_TYPE_DEFAULT = 0,
    RONIN_ORT_CUDNN_SEARCH_EXHAUSTIVE = 0,
};

/// Options of the CUDA execution provider (the published struct layout, all fields).
typedef struct RoninOrtCUDAProviderOptions {
    int device_id;
    int cudnn_conv_algo_search;
    size_t gpu_mem_limit;
    int arena_extend_strategy;
    int do_copy_in_default_stream;
    int has_user_compute_stream;
    void *user_compute_stream;
    OrtArenaCfg *default_memory_arena_cfg;
    int tunable_op_enable;
    int tunable_op_tuning_enable;
    int tunable_op_max_tuning_duration_ms;
} RoninOrtCUDAProviderOptions;

/// The function table; entry N is the N-th pointer of the published OrtApi.
typedef struct RoninOrtApi {
    void *unused_0_1[2];
    const char *(*GetErrorMessage)(const OrtStatus *status);                                   // 2
    OrtStatus *(*CreateEnv)(int logging_level, const char *log_id, OrtEnv **out);             // 3
    void *unused_4_6[3];
    OrtStatus *(*CreateSession)(const OrtEnv *env, const char *model_path,
                                const OrtSessionOptions *options, OrtSession **out);          // 7
    void *unused_8;
    OrtStatus *(*Run)(OrtSession *session, const OrtRunOptions *run_options,
                      const char *const *input_names, const OrtValue *const *inputs, size_t input_count,
                      const char *const *output_names, size_t output_count, OrtValue **outputs); // 9
    OrtStatus *(*CreateSessionOptions)(OrtSessionOptions **out);                              // 10
    void *unused_11_22[12];
    OrtStatus *(*SetSessionGraphOptimizationLevel)(OrtSessionOptions *options, int level);    // 23
    OrtStatus *(*SetIntraOpNumThreads)(OrtSessionOptions *options, int threads);              // 24
    OrtStatus *(*SetInterOpNumThreads)(OrtSessionOptions *options, int threads);              // 25
    void *unused_26_29[4];
    OrtStatus *(*SessionGetInputCount)(const OrtSession *session, size_t *out);               // 30
    OrtStatus *(*SessionGetOutputCount)(const OrtSession *session, size_t *out);              // 31
    void *unused_32;
    OrtStatus *(*SessionGetInputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out);  // 33
    OrtStatus *(*SessionGetOutputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **out); // 34
    void *unused_35;
    OrtStatus *(*SessionGetInputName)(const OrtSession *session, size_t index,
                                      OrtAllocator *allocator, char **out);                   // 36
    OrtStatus *(*SessionGetOutputName)(const OrtSession *session, size_t index,
                                       OrtAllocator *allocator, char **out);                  // 37
    void *unused_38_48[11];
    OrtStatus *(*CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *data, size_t byte_count,
                                                 const int64_t *shape, size_t shape_count,
                                                 int element_type, OrtValue **out);          // 49
    void *unused_50;
    OrtStatus *(*GetTensorMutableData)(OrtValue *value, void **out);                          // 51
    void *unused_52_54[3];
    OrtStatus *(*CastTypeInfoToTensorInfo)(const OrtTypeInfo *info,
                                           const OrtTensorTypeAndShapeInfo **out);            // 55
    void *unused_56_59[4];
    OrtStatus *(*GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info, int *out);      // 60
    OrtStatus *(*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);     // 61
    OrtStatus *(*GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *values, size_t count); // 62
    void *unused_63_64[2];
    OrtStatus *(*GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out); // 65
    void *unused_66_68[3];
    OrtStatus *(*CreateCpuMemoryInfo)(int allocator_type, int mem_type, OrtMemoryInfo **out);  // 69
    void *unused_70_75[6];
    OrtStatus *(*AllocatorFree)(OrtAllocator *allocator, void *pointer);                      // 76
    void *unused_77;
    OrtStatus *(*GetAllocatorWithDefaultOptions)(OrtAllocator **out);                         // 78
    void *unused_79_91[13];
    void (*ReleaseEnv)(OrtEnv *value);                                                         // 92
    void (*ReleaseStatus)(OrtStatus *value);                                                   // 93
    void (*ReleaseMemoryInfo)(OrtMemoryInfo *value);                                           // 94
    void (*ReleaseSession)(OrtSession *value);                                                 // 95
    void (*ReleaseValue)(OrtValue *value);                                                     // 96
    void *unused_97;
    void (*ReleaseTypeInfo)(OrtTypeInfo *value);                                               // 98
    void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *value);                   // 99
    void (*ReleaseSessionOptions)(OrtSessionOptions *value);                                   // 100
    void *unused_101_110[10];
    OrtStatus *(*SessionGetModelMetadata)(const OrtSession *session, OrtModelMetadata **out);  // 111
    void *unused_112_115[4];
    OrtStatus *(*ModelMetadataLookupCustomMetadataMap)(const OrtModelMetadata *metadata, OrtAllocator *allocator,
                                                       const char *key, char **out);          // 116
    void *unused_117;
    void (*ReleaseModelMetadata)(OrtModelMetadata *value);                                     // 118
    void *unused_119_151[33];
    OrtStatus *(*SessionOptionsAppendExecutionProvider_CUDA)(OrtSessionOptions *options,
                                                             const RoninOrtCUDAProviderOptions *cuda); // 152
} RoninOrtApi;

/// A loaded library: the dlopen handle and the function table it serves.
typedef struct RoninOrtLibrary {
    void *handle;
    const RoninOrtApi *api;
    const char *version;
} RoninOrtLibrary;

/// Outcome of ronin_ort_open; on failure `message` holds the loader's reason.
typedef enum RoninOrtOpenResult {
    RONIN_ORT_OPENED = 0,
    RONIN_ORT_DLOPEN_FAILED = 1,
    RONIN_ORT_SYMBOL_MISSING = 2,
    RONIN_ORT_API_UNSUPPORTED = 3,
} RoninOrtOpenResult;

/// dlopen(path), dlsym("OrtGetApiBase") and GetApi(RONIN_ORT_API_VERSION). On failure the handle
/// is closed and `message` (of `message_size` bytes) says why, naming the library's version when
/// it is too old.
RoninOrtOpenResult ronin_ort_open(const char *path, RoninOrtLibrary *library, char *message, size_t message_size);

/// Writes the file the system loader opened for `library` (useful when it was found by bare
/// name); returns 0 when unknown.
int ronin_ort_library_file(const RoninOrtLibrary *library, char *path, size_t path_size);

/// Frees a status and returns nothing; a NULL status is success and is ignored.
void ronin_ort_release_status(const RoninOrtApi *api, OrtStatus *status);

/// A CUDA provider options struct with the library's documented defaults and the given device.
RoninOrtCUDAProviderOptions ronin_ort_cuda_options(int device_id);

#ifdef __cplusplus
}
#endif
#endif
