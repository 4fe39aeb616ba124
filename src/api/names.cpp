// The names of the public enums (regpath.hpp's to_string) and the version: on their own, with
// no dependency, so that the model reader's fuzz target (scripts/fuzz: src/model/model.cpp and
// src/api/predict.cpp, which name families in messages) links without the rest of the library.
#include "regpath/regpath.hpp"

#ifndef REGPATH_VERSION
#define REGPATH_VERSION "0.0.0"
#endif

namespace regpath {

const char* to_string(Family family) {
  switch (family) {
    case Family::gaussian: return "gaussian";
    case Family::binomial: return "binomial";
    case Family::poisson: return "poisson";
    case Family::multinomial: return "multinomial";
  }
  return "?";
}
const char* to_string(Device device) {
  switch (device) {
    case Device::automatic: return "auto";
    case Device::cpu: return "cpu";
    case Device::cuda: return "cuda";
  }
  return "?";
}
const char* to_string(Precision precision) {
  return precision == Precision::float64 ? "float64" : "float32";
}
const char* to_string(Status status) {
  switch (status) {
    case Status::converged: return "converged";
    case Status::max_iter: return "max_iter";
    case Status::stalled: return "stalled";
  }
  return "?";
}
const char* to_string(CvMeasure measure) {
  switch (measure) {
    case CvMeasure::automatic: return "automatic";
    case CvMeasure::mse: return "mse";
    case CvMeasure::mae: return "mae";
    case CvMeasure::deviance: return "deviance";
    case CvMeasure::misclassification: return "class";
    case CvMeasure::auc: return "auc";
  }
  return "?";
}
const char* version() { return REGPATH_VERSION; }

}  // namespace regpath
