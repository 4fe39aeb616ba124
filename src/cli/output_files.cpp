#include "cli/output_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"

namespace regpath::cli {
namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) != nullptr ? std::string(buf) : std::string();
}

// Where a write to `path` lands: an existing file through any symlinks, else the path itself.
std::string write_target(const std::string& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    const std::string real = canonical(path);
    if (!real.empty()) return real;
  }
  return path;
}

// What a path names: an existing file (device and inode), or a file to be made (its folder's
// canonical path and its name). Two paths are the same file when these agree.
struct FileId {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string planned;  // canonical folder + "/" + name; empty when the folder is not there
};

FileId identify(const std::string& path) {
  FileId id;
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
  }
  const std::string folder = canonical(folder_of(path));
  if (!folder.empty()) id.planned = folder + "/" + name_of(path);
  return id;
}

bool same_file(const FileId& a, const FileId& b) {
  if (a.exists != b.exists) return false;
  if (a.exists) return a.dev == b.dev && a.ino == b.ino;
  return !a.planned.empty() && a.planned == b.planned;
}

std::string describe(const NamedPath& p) {
  return p.role == p.path ? p.path : p.role + " " + p.path;
}

// A temporary file beside `path`, hidden and recognisable: ".NAME.XXXXXX". Returns the open
// descriptor (and sets `temp`), or −1 with errno set.
int make_temp_beside(const std::string& path, std::string& temp) {
  const std::string folder = folder_of(path);
  const std::string pattern = (folder == "/" ? "" : folder) + "/." + name_of(path) + ".XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd >= 0) temp.assign(buf.data());
  return fd;
}

[[noreturn]] void cannot_write(const std::string& path, int err) {
  throw InputError("cannot write " + path + ": " + std::strerror(err));
}

bool write_all(int fd, const std::string& content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  return true;
}
bool write_all(int fd, const std::vector<std::string>& pieces) {
  for (const std::string& piece : pieces)
    if (!write_all(fd, piece)) return false;
  return true;
}

// The mode a newly created file gets (0666 less the umask), or the mode of the file replaced.
mode_t mode_for(const std::string& target) {
  struct stat st{};
  if (::stat(target.c_str(), &st) == 0) return st.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool is_special(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

}  // namespace

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  std::vector<FileId> out_ids;
  for (const NamedPath& o : outputs) out_ids.push_back(identify(o.path));
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    for (const NamedPath& in : inputs)
      if (same_file(out_ids[k], identify(in.path)))
        throw UsageError(describe(outputs[k]) + " is the input " + describe(in) +
                         ": writing it would destroy the input; choose another output file");
    for (std::size_t j = 0; j < k; ++j)
      if (same_file(out_ids[k], out_ids[j]))
        throw UsageError(describe(outputs[k]) + " is the same file as " + describe(outputs[j]) +
                         ": one would overwrite the other; give each output its own file");
  }
  for (const NamedPath& o : outputs) {
    const std::string target = write_target(o.path);
    struct stat st{};
    if (::stat(target.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) cannot_write(o.path, EISDIR);
      if (::access(target.c_str(), W_OK) != 0) cannot_write(o.path, errno);
      if (!S_ISREG(st.st_mode)) continue;  // /dev/stdout and the like: written directly
    }
    // Probe the folder as the real write will use it: a temporary file made and removed.
    std::string temp;
    const int fd = make_temp_beside(target, temp);
    if (fd < 0) cannot_write(o.path, errno);
    ::close(fd);
    ::unlink(temp.c_str());
  }
}

struct StagedOutputs::Staged {
  std::string path, temp;  // temp empty: written directly (not a regular file)
};

StagedOutputs::StagedOutputs() = default;

StagedOutputs::~StagedOutputs() {
  for (const Staged& s : staged_)
    if (!s.temp.empty()) ::unlink(s.temp.c_str());
}

void StagedOutputs::add(const std::string& path, const std::string& content) {
  add_pieces(path, content);
}
void StagedOutputs::add(const std::string& path, const std::vector<std::string>& pieces) {
  add_pieces(path, pieces);
}

template <class Content>
void StagedOutputs::add_pieces(const std::string& path, const Content& content) {
  const std::string target = write_target(path);
  if (is_special(target)) {
    const int fd = ::open(target.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) cannot_write(path, errno);
    const bool ok = write_all(fd, content);
    const int err = errno;
    ::close(fd);
    if (!ok) throw InputError("error while writing " + path + ": " + std::strerror(err));
    staged_.push_back({path, ""});
    return;
  }
  std::string temp;
  const int fd = make_temp_beside(target, temp);
  if (fd < 0) cannot_write(path, errno);
  staged_.push_back({target, temp});  // removed by the destructor unless committed
  bool ok = ::fchmod(fd, mode_for(target)) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) throw InputError("error while writing " + path + ": " + std::strerror(err));
}

void StagedOutputs::commit() {
  for (Staged& s : staged_) {
    if (s.temp.empty()) continue;
    if (::rename(s.temp.c_str(), s.path.c_str()) != 0) cannot_write(s.path, errno);
    s.temp.clear();
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  StagedOutputs out;
  out.add(path, content);
  out.commit();
}

}  // namespace regpath::cli
