#include "station/source_image.h"

#include "base/units.h"
#include "rules/job_setup.h"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cerrno>
#include <memory>
#include <vector>

namespace engine {

namespace {

constexpr std::size_t kChunk = 4 << 20;

struct DigestFree
{
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string hex(const unsigned char* bytes, unsigned length)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < length; ++i) {
        out += kDigits[bytes[i] >> 4];
        out += kDigits[bytes[i] & 15];
    }
    return out;
}

bool sameImage(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

Result<std::string> sha256Of(int fd, std::uint64_t size, const std::string& path,
                             const HashOptions& options)
{
    std::unique_ptr<EVP_MD_CTX, DigestFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return Error{ENOMEM, "SHA-256 is not available"};
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<unsigned char> buf(kChunk);
    std::uint64_t done = 0;
    while (done < size) {
        if (options.stop && options.stop->load())
            return Error{ECANCELED, "hashing " + path + ": cancelled"};
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(errno, "read " + path);
        if (n == 0)
            return Error{EIO, "read " + path + ": shorter than its size while it was hashed"};
        EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
        done += static_cast<std::uint64_t>(n);
        if (options.progress)
            options.progress(done, size);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
        return Error{EIO, "SHA-256 of " + path + " failed"};
    return hex(digest, length);
}

} // namespace

Result<StationSource> examineSource(const StationConfig& config, const HashOptions& options,
                                    const Invoker& who)
{
    StationSource s;
    s.path = config.source;
    if (auto r = checkSourceCandidate(s.path); !r)
        return withContext("source: ", r.error());
    auto size = storageSize(s.path);
    if (!size)
        return withContext("source: ", size.error());
    s.size = *size;
    if (config.maxSize && config.maxSize < s.size)
        return Error{EINVAL, "max-size " + formatBytes(config.maxSize) +
                                 " is smaller than the source " + s.path + " (" +
                                 formatBytes(s.size) + "): every drive would be refused"};
    auto resolved = resolvePath(s.path, who);
    if (!resolved)
        return withContext("source: ", resolved.error());
    s.blockDevice = resolved->exists() && S_ISBLK(resolved->st.st_mode);
    // A disk is what root is for; an image only the user who asked may read.
    Result<UniqueFd> fd = UniqueFd();
    if (s.blockDevice)
        fd = UniqueFd(::open(resolved->nodePath().c_str(), O_RDONLY | O_CLOEXEC));
    else
        fd = openAsInvoker(*resolved, who, O_RDONLY);
    if (!fd)
        return withContext("source: ", fd.error());
    if (!fd->valid() || ::fstat(fd->get(), &s.identity) != 0)
        return systemError(errno, "source: " + s.path);
    auto sha = sha256Of(fd->get(), s.size, s.path, options);
    if (!sha)
        return sha.error();
    s.sha256 = *sha;
    if (auto changed = sourceChanged(s))
        return *changed;
    return s;
}

std::optional<Error> sourceChanged(const StationSource& source)
{
    if (source.blockDevice)
        return std::nullopt;
    struct stat now
    {
    };
    if (::stat(source.path.c_str(), &now) != 0)
        return systemError(errno, "source " + source.path);
    if (!sameImage(now, source.identity))
        return Error{ESTALE, "the source " + source.path +
                                 " changed since it was hashed; start the station again"};
    return std::nullopt;
}

} // namespace engine
