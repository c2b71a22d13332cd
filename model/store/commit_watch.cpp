#include "model/store/commit_watch.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace probity {
namespace {
// The WAL-index header: two copies of WalIndexHdr (48 bytes, 12 native-endian 32-bit words)
// from offset 0. Words: 0 iVersion, 1 unused, 2 iChange, 3 isInit/bigEndCksum/szPage,
// 4 mxFrame, 5 nPage, ... A commit writes copy 1, then a memory barrier, then copy 0.
constexpr std::size_t kHeaderWords = 12;
constexpr std::size_t kHeaderBytes = 2 * kHeaderWords * 4 + 40;  // and the checkpoint info after them
constexpr std::uint32_t kWalIndexVersion = 3007000;
constexpr std::size_t kVersion = 0, kChange = 2, kInit = 3, kMaxFrame = 4;

std::uint32_t load(const volatile std::uint32_t* p) { return __atomic_load_n(const_cast<const std::uint32_t*>(p), __ATOMIC_ACQUIRE); }
}  // namespace

CommitWatch::CommitWatch(const std::string& database_path) {
  if (database_path.empty() || database_path == ":memory:" || database_path.rfind("file:", 0) == 0) return;
  const int fd = ::open((database_path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && static_cast<std::size_t>(st.st_size) >= kHeaderBytes) {
    const auto size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) {
      header_ = static_cast<const volatile std::uint32_t*>(p);
      mapped_ = size;
      // Only an initialised index of the version this reading assumes.
      if (load(header_ + kVersion) != kWalIndexVersion || (load(header_ + kInit) & 0xff) != 1) {
        ::munmap(p, size);
        header_ = nullptr;
        mapped_ = 0;
      }
    }
  }
  ::close(fd);
}

CommitWatch::~CommitWatch() {
  if (header_) ::munmap(const_cast<std::uint32_t*>(header_), mapped_);
}

std::optional<std::uint64_t> CommitWatch::version() const {
  if (!header_) return std::nullopt;
  // Copy 0 is written last: read it first, then copy 1. Equal words mean no commit was writing
  // the header between the two reads.
  const std::uint32_t change0 = load(header_ + kChange), frame0 = load(header_ + kMaxFrame);
  const std::uint32_t change1 = load(header_ + kHeaderWords + kChange), frame1 = load(header_ + kHeaderWords + kMaxFrame);
  if (change0 != change1 || frame0 != frame1) return std::nullopt;
  return (static_cast<std::uint64_t>(change0) << 32) | frame0;
}

}  // namespace probity
