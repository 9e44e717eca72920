#pragma once

#include "core/io/modelsource.h"
#include "core/util/progresssink.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// The one entry point for reading and writing model files, whatever their format.
// (This file includes no LibTorch header: callers of openModel pay nothing for it.)

enum class ModelFormat { Safetensors, StateDict, TorchScript };
const char *modelFormatName(ModelFormat format); // "safetensors", "PyTorch state dict", "TorchScript"

// Opens a model, detecting its format by content first and by extension only as a hint:
// a safetensors header; a sharded "*.safetensors.index.json"; a zip archive (TorchScript when it
// holds code, otherwise a torch.save state dict); a legacy torch.save pickle. A file that matches
// nothing gets the error of the reader its extension suggests, or one sentence saying what we read.
Result<std::unique_ptr<ModelSource>> openModel(const std::string &path);

// The format to write `path` in: ".safetensors" gives safetensors; ".pt", ".pth" or ".bin" give a
// TorchScript module when `likePath` (the original module) is given, a state dict otherwise.
Result<ModelFormat> outputFormatFor(const std::string &path, const std::string &likePath = {});

// Hands out tensor i of the model being written; called once per tensor, in order.
using TensorAt = std::function<Result<TensorData>(std::size_t)>;

// Writes restored tensors. Safetensors and state dicts stream (one tensor in memory at a time);
// a TorchScript output is the module `likePath` with the named parameters and buffers replaced.
// The file appears complete or not at all: temporary file in the same folder, flushed, renamed.
// `tensors` gives name, shape and dtype of every tensor up front (safetensors needs them for its
// header); each tensor handed out must match its entry.
Status writeModel(const std::string &path, ModelFormat format, const std::vector<TensorInfo> &tensors, const TensorAt &tensorAt,
                  const std::string &likePath = {}, ProgressSink *progress = nullptr);
// The same with names only; for safetensors every tensor is then asked for twice (once to learn
// its shape for the header), so prefer the overload above when the shapes are known.
Status writeModel(const std::string &path, ModelFormat format, const std::vector<std::string> &names, const TensorAt &tensorAt,
                  const std::string &likePath = {}, ProgressSink *progress = nullptr);

} // namespace hc
