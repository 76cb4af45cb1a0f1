// dlopen of libonnxruntime and the few helpers Swift cannot express as plainly.
#define _GNU_SOURCE
#include "CRoninOnnx.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// The published layout of OrtApiBase, the one exported symbol's answer.
typedef struct RoninOrtApiBase {
    const RoninOrtApi *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} RoninOrtApiBase;

// Every entry we call must sit at its published index in OrtApi.
#define RONIN_ORT_ENTRY(field, index) \
    _Static_assert(offsetof(RoninOrtApi, field) == (index) * sizeof(void *), #field " is not entry " #index)
RONIN_ORT_ENTRY(GetErrorMessage, 2);
RONIN_ORT_ENTRY(CreateEnv, 3);
RONIN_ORT_ENTRY(CreateSession, 7);
RONIN_ORT_ENTRY(Run, 9);
RONIN_ORT_ENTRY(CreateSessionOptions, 10);
RONIN_ORT_ENTRY(SetSessionGraphOptimizationLevel, 23);
RONIN_ORT_ENTRY(SetIntraOpNumThreads, 24);
RONIN_ORT_ENTRY(SetInterOpNumThreads, 25);
RONIN_ORT_ENTRY(SessionGetInputCount, 30);
RONIN_ORT_ENTRY(SessionGetOutputCount, 31);
RONIN_ORT_ENTRY(SessionGetInputTypeInfo, 33);
RONIN_ORT_ENTRY(SessionGetOutputTypeInfo, 34);
RONIN_ORT_ENTRY(SessionGetInputName, 36);
RONIN_ORT_ENTRY(SessionGetOutputName, 37);
RONIN_ORT_ENTRY(CreateTensorWithDataAsOrtValue, 49);
RONIN_ORT_ENTRY(GetTensorMutableData, 51);
RONIN_ORT_ENTRY(CastTypeInfoToTensorInfo, 55);
RONIN_ORT_ENTRY(GetTensorElementType, 60);
RONIN_ORT_ENTRY(GetDimensionsCount, 61);
RONIN_ORT_ENTRY(GetDimensions, 62);
RONIN_ORT_ENTRY(GetTensorTypeAndShape, 65);
RONIN_ORT_ENTRY(CreateCpuMemoryInfo, 69);
RONIN_ORT_ENTRY(AllocatorFree, 76);
RONIN_ORT_ENTRY(GetAllocatorWithDefaultOptions, 78);
RONIN_ORT_ENTRY(ReleaseEnv, 92);
RONIN_ORT_ENTRY(ReleaseStatus, 93);
RONIN_ORT_ENTRY(ReleaseMemoryInfo, 94);
RONIN_ORT_ENTRY(ReleaseSession, 95);
RONIN_ORT_ENTRY(ReleaseValue, 96);
RONIN_ORT_ENTRY(ReleaseTypeInfo, 98);
RONIN_ORT_ENTRY(ReleaseTensorTypeAndShapeInfo, 99);
RONIN_ORT_ENTRY(ReleaseSessionOptions, 100);
RONIN_ORT_ENTRY(SessionGetModelMetadata, 111);
RONIN_ORT_ENTRY(ModelMetadataLookupCustomMetadataMap, 116);
RONIN_ORT_ENTRY(ReleaseModelMetadata, 118);
RONIN_ORT_ENTRY(SessionOptionsAppendExecutionProvider_CUDA, 152);

RoninOrtOpenResult ronin_ort_open(const char *path, RoninOrtLibrary *library, char *message, size_t message_size) {
    memset(library, 0, sizeof(*library));
    if (message_size > 0) message[0] = '\0';

    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(message, message_size, "%s", reason ? reason : "dlopen failed");
        return RONIN_ORT_DLOPEN_FAILED;
    }
    dlerror();
    const RoninOrtApiBase *(*get_base)(void) = (const RoninOrtApiBase *(*)(void))dlsym(handle, "OrtGetApiBase");
    if (get_base == NULL) {
        snprintf(message, message_size, "no OrtGetApiBase symbol");
        dlclose(handle);
        return RONIN_ORT_SYMBOL_MISSING;
    }
    const RoninOrtApiBase *base = get_base();
    library->version = (base && base->GetVersionString) ? base->GetVersionString() : NULL;
    const RoninOrtApi *api = (base && base->GetApi) ? base->GetApi(RONIN_ORT_API_VERSION) : NULL;
    if (api == NULL) {
        snprintf(message, message_size, "version %s does not serve API version %d",
                 library->version ? library->version : "unknown", RONIN_ORT_API_VERSION);
        library->version = NULL;
        dlclose(handle);
        return RONIN_ORT_API_UNSUPPORTED;
    }
    library->handle = handle;
    library->api = api;
    return RONIN_ORT_OPENED;
}

void ronin_ort_release_status(const RoninOrtApi *api, OrtStatus *status) {
    if (status != NULL) api->ReleaseStatus(status);
}

RoninOrtCUDAProviderOptions ronin_ort_cuda_options(int device_id) {
    RoninOrtCUDAProviderOptions options;
    memset(&options, 0, sizeof(options));
    options.device_id = device_id;
    options.cudnn_conv_algo_search = RONIN_ORT_CUDNN_SEARCH_EXHAUSTIVE;
    options.gpu_mem_limit = SIZE_MAX;
    options.do_copy_in_default_stream = 1;
    return options;
}

int ronin_ort_library_file(const RoninOrtLibrary *library, char *path, size_t path_size) {
    Dl_info info;
    if (library->api == NULL || dladdr((const void *)library->api, &info) == 0 || info.dli_fname == NULL) return 0;
    snprintf(path, path_size, "%s", info.dli_fname);
    return 1;
}
