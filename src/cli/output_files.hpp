// The files the command-line tool writes: checked before any work is done, and written whole or
// not at all.
//
// - An output may be neither an input (DATA.csv, --foldid) nor another output of the same run:
//   the comparison is by file identity (device and inode of an existing file; the canonical
//   folder and name of one not yet there), not by spelling, so `./data.csv`, a symlink and a
//   hard link are all caught.
// - Every output's folder is probed for writing (a temporary file made and removed) before the
//   data is read, so that a typo in --plot is reported in a second, not after the fit.
// - Each output is first written to a temporary file in its own folder and renamed into place
//   only when every output of the run is complete: a full disk or any other failure leaves the
//   previous files as they were and no partial file behind. Outputs that are not regular files
//   (/dev/stdout, a pipe) are written directly, since they cannot be renamed over.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace regpath::cli {

// A path given on the command line and what named it, for messages: "DATA.csv", "--plot".
struct NamedPath {
  std::string role;
  std::string path;
};

// Throws UsageError when an output is an input or another output (by identity), InputError
// ("cannot write PATH: reason") when an output cannot be written.
void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

// Outputs staged in temporary files; commit() renames them all into place. Whatever was not
// committed is removed when the object goes away (also when an exception unwinds it).
class StagedOutputs {
 public:
  StagedOutputs();
  ~StagedOutputs();
  StagedOutputs(const StagedOutputs&) = delete;
  StagedOutputs& operator=(const StagedOutputs&) = delete;

  // Writes `content` to a temporary file beside `path` (or to `path` itself when that is not a
  // regular file); throws InputError naming `path` and the system's reason on failure.
  void add(const std::string& path, const std::string& content);
  // ... the pieces one after another (a text formatted in parts, never joined in memory)
  void add(const std::string& path, const std::vector<std::string>& pieces);
  // Renames every staged file into place; throws InputError on failure (what is left staged is
  // then removed).
  void commit();

 private:
  struct Staged;
  std::vector<Staged> staged_;
  template <class Content>
  void add_pieces(const std::string& path, const Content& content);
};

// One file written as above: a temporary beside it, renamed into place when complete.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace regpath::cli
