#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <map>
#include <string>

namespace hc {

// The bundled demo classifier (resources/demo, made by tools/demomodel): runs a TorchScript
// classifier on a safetensors test set ("inputs" F32 [n, d], "labels" I64 [n]) and gives the share
// of arg-max predictions that match the labels, so that the workbench can show the accuracy before
// and after compression. Works for any TorchScript module whose forward maps [n, d] to [n, classes].
// Every call loads the module afresh: the functions are reentrant and never change the files.
class DemoModel {
public:
    static Result<double> accuracy(const std::string &modulePath, const std::string &testsetPath);
    // The same, with some parameters replaced first (by their dotted names, e.g. "fc1.weight").
    // Each replacement must match the parameter's shape and be of a float dtype.
    static Result<double> accuracyWithParameters(const std::string &modulePath, const std::string &testsetPath,
                                                 const std::map<std::string, TensorData> &parameters);
    // The module's parameters by dotted name, as F32/F64/... tensors in their own dtype.
    static Result<std::map<std::string, TensorData>> parameters(const std::string &modulePath);
};

} // namespace hc
