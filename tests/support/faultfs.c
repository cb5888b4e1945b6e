/*
 * faultfs - a one-file FUSE file system that injects I/O errors.
 *
 *   faultfs BACKING_FILE MOUNTPOINT [--read-error OFFSET:LENGTH[:ERRNO]]...
 *           [--write-error OFFSET:LENGTH[:ERRNO]]... [--drop-write OFFSET:LENGTH]...
 *           [--write-delay-ms N] [--write-delay-file PATH] [--size BYTES]
 *           [--volatile-cache]
 *
 * MOUNTPOINT/disk is the only file. Its content is BACKING_FILE, read and
 * written at the same offsets. A read (or write) request whose byte range
 * overlaps a --read-error (--write-error) range fails with -ERRNO; requests
 * that do not overlap succeed, so a caller retrying in smaller blocks around
 * a bad range recovers the good blocks. ERRNO defaults to EIO and may be a
 * number or a name (EIO, ENOSPC, ...). Numbers accept 0x prefixes and K, M,
 * G suffixes (powers of 1024).
 *
 * Files are opened in direct_io mode: the page cache is bypassed and every
 * request reaches this daemon with the caller's offsets (the kernel splits
 * requests larger than its maximum FUSE transfer size). Write faults also
 * apply to fallocate(), which is how zeroing and discarding reach the file.
 *
 * --drop-write makes a lying disk: the bytes of a write request (or of a
 * fallocate, zeroing or punching) that fall inside OFFSET:LENGTH are not
 * stored, the rest of the request is, and the request reports success. The
 * backing file keeps its old bytes there, and reads return them.
 *
 * --write-delay-ms makes a slow disk: every write request waits N
 * milliseconds before it is served (fallocate does not: zeroing and
 * discarding stay fast). The daemon serves one request at a time, so
 * requests queued behind a delayed write wait too. With --write-delay-file
 * the delay can change while mounted: before every write request the daemon
 * reads PATH, and a number there (milliseconds) replaces N; a missing or
 * empty file leaves N.
 *
 * With --size the file reports that size: reads past the backing file's end
 * return zeros, reads past the size hit end of file, and writes past the size
 * fail with ENOSPC (a write straddling the end is shortened). Without it the
 * size follows the backing file.
 *
 * --volatile-cache makes a disk with a write cache that a power loss empties:
 * writes (and zeroing or punching fallocates) are held in the daemon's
 * memory, reads see them, and they reach the backing file only when an
 * fsync or fdatasync (FUSE fsync) asks, or at an orderly unmount. SIGUSR1 is
 * the power loss: every write not yet flushed is dropped, and the daemon
 * logs "faultfs: power loss: N bytes of unflushed writes dropped" to stderr
 * before it serves the next request. Closing a file (FUSE flush) writes
 * nothing back: the kernel flushes on every close, the one a killed program
 * makes included, and a disk's cache does not empty itself when a program
 * closes it. Fault ranges apply as always: --write-error when the write is
 * made, --drop-write when it reaches the backing file.
 *
 * The daemon runs in the foreground and single-threaded; SIGTERM or SIGINT
 * unmounts and exits.
 */

#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>
#include <fuse_lowlevel.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define DISK_NAME "disk"
#define DISK_PATH "/" DISK_NAME

struct fault_range {
    uint64_t offset;
    uint64_t length;
    int error;
};

struct fault_list {
    struct fault_range *items;
    size_t count;
};

struct faultfs_state {
    int backing_fd;
    int writable;
    int fixed_size;   /* --size given */
    uint64_t size;    /* valid when fixed_size */
    struct fault_list read_faults;
    struct fault_list write_faults;
    struct fault_list dropped_writes; /* error unused */
    long write_delay_ms;
    const char *write_delay_file;     /* NULL: none */
};

static struct faultfs_state g_state = { .backing_fd = -1 };

/*
 * The --volatile-cache: one entry per page of the file. An entry is NULL (the
 * backing file's bytes hold), one of the two zero marks (the page reads as
 * zeroes; written back by punching or by zeroing), or a CACHE_PAGE buffer.
 */
#define CACHE_PAGE 4096u

static char k_punched_mark;
static char k_zeroed_mark;
#define PAGE_PUNCHED (&k_punched_mark)
#define PAGE_ZEROED (&k_zeroed_mark)

struct volatile_cache {
    int enabled;
    char **pages;
    uint64_t capacity; /* entries in pages */
    uint64_t count;    /* entries that are not NULL */
    uint64_t end;      /* where cached writes end: the file is at least this long */
};

static struct volatile_cache g_cache;
static volatile sig_atomic_t g_power_loss;

/* ---------------------------------------------------------------- parsing */

struct errno_name {
    const char *name;
    int value;
};

static const struct errno_name k_errno_names[] = {
    { "EIO", EIO },         { "ENOSPC", ENOSPC },       { "EROFS", EROFS },
    { "EPERM", EPERM },     { "EACCES", EACCES },       { "EINVAL", EINVAL },
    { "ENXIO", ENXIO },     { "ENODEV", ENODEV },       { "ENOMEDIUM", ENOMEDIUM },
    { "EBADMSG", EBADMSG }, { "EILSEQ", EILSEQ },       { "ENODATA", ENODATA },
    { "EFBIG", EFBIG },     { "EDQUOT", EDQUOT },       { "EAGAIN", EAGAIN },
    { "EINTR", EINTR },     { "ENOMEM", ENOMEM },       { "EBUSY", EBUSY },
    { "ETIMEDOUT", ETIMEDOUT }, { "EREMOTEIO", EREMOTEIO },
    { "EOPNOTSUPP", EOPNOTSUPP }, { "ENOTCONN", ENOTCONN },
};

static int parse_u64(const char *text, uint64_t *out)
{
    char *end = NULL;
    unsigned long long value;
    uint64_t scale = 1;

    if (text == NULL || *text == '\0' || *text == '-' || isspace((unsigned char)*text))
        return -1;
    errno = 0;
    value = strtoull(text, &end, 0);
    if (errno != 0 || end == text)
        return -1;
    if (*end != '\0') {
        switch (toupper((unsigned char)*end)) {
        case 'K': scale = 1024ULL; break;
        case 'M': scale = 1024ULL * 1024; break;
        case 'G': scale = 1024ULL * 1024 * 1024; break;
        default: return -1;
        }
        ++end;
        if (toupper((unsigned char)*end) == 'I' && toupper((unsigned char)end[1]) == 'B')
            end += 2;
        if (*end != '\0')
            return -1;
    }
    if (value > UINT64_MAX / scale)
        return -1;
    *out = (uint64_t)value * scale;
    return 0;
}

static int parse_errno(const char *text, int *out)
{
    size_t i;

    for (i = 0; i < sizeof k_errno_names / sizeof k_errno_names[0]; ++i) {
        if (strcasecmp(text, k_errno_names[i].name) == 0) {
            *out = k_errno_names[i].value;
            return 0;
        }
    }
    {
        char *end = NULL;
        long value;

        errno = 0;
        value = strtol(text, &end, 10);
        if (errno != 0 || end == text || *end != '\0' || value <= 0 || value > 4095)
            return -1;
        *out = (int)value;
    }
    return 0;
}

/* Parses OFFSET:LENGTH[:ERRNO]. */
static int parse_fault(const char *spec, struct fault_range *out)
{
    char buffer[256];
    char *first;
    char *second;
    char *third;

    if (strlen(spec) >= sizeof buffer)
        return -1;
    strcpy(buffer, spec);
    first = buffer;
    second = strchr(first, ':');
    if (second == NULL)
        return -1;
    *second++ = '\0';
    third = strchr(second, ':');
    if (third != NULL)
        *third++ = '\0';

    if (parse_u64(first, &out->offset) != 0 || parse_u64(second, &out->length) != 0)
        return -1;
    if (out->length == 0 || out->offset > UINT64_MAX - out->length)
        return -1;
    out->error = EIO;
    if (third != NULL && parse_errno(third, &out->error) != 0)
        return -1;
    return 0;
}

static int add_fault(struct fault_list *list, const struct fault_range *range)
{
    struct fault_range *grown =
        realloc(list->items, (list->count + 1) * sizeof *list->items);

    if (grown == NULL)
        return -1;
    list->items = grown;
    list->items[list->count++] = *range;
    return 0;
}

/* Returns the errno of the first fault range overlapping [offset, offset+length), or 0. */
static int find_fault(const struct fault_list *list, uint64_t offset, uint64_t length)
{
    size_t i;
    uint64_t end;

    if (length == 0)
        return 0;
    end = offset + length < offset ? UINT64_MAX : offset + length;
    for (i = 0; i < list->count; ++i) {
        const struct fault_range *range = &list->items[i];

        if (offset < range->offset + range->length && range->offset < end)
            return range->error;
    }
    return 0;
}

/*
 * Calls store(ctx, offset, length) for every piece of [offset, offset+length)
 * outside the --drop-write ranges from index first on; stops at the first
 * piece that fails and returns its result.
 */
static int for_each_kept(uint64_t offset, uint64_t length, size_t first,
                         int (*store)(void *ctx, uint64_t offset, uint64_t length), void *ctx)
{
    const uint64_t end = offset + length;
    size_t i;

    for (i = first; i < g_state.dropped_writes.count; ++i) {
        const struct fault_range *range = &g_state.dropped_writes.items[i];
        const uint64_t range_end = range->offset + range->length;
        int res = 0;

        if (!(offset < range_end && range->offset < end))
            continue;
        if (offset < range->offset)
            res = for_each_kept(offset, range->offset - offset, i + 1, store, ctx);
        if (res == 0 && range_end < end)
            res = for_each_kept(range_end, end - range_end, i + 1, store, ctx);
        return res;
    }
    return length > 0 ? store(ctx, offset, length) : 0;
}

static long write_delay_ms(void)
{
    char text[32];
    ssize_t n;
    char *end = NULL;
    long value;
    int fd;

    if (g_state.write_delay_file == NULL)
        return g_state.write_delay_ms;
    fd = open(g_state.write_delay_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return g_state.write_delay_ms;
    n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return g_state.write_delay_ms;
    text[n] = '\0';
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || end == text || value < 0)
        return g_state.write_delay_ms;
    return value;
}

/* Sleeps the write delay; a signal that ends the daemon cuts it short. */
static void delay_write(void)
{
    const long ms = write_delay_ms();
    struct timespec until;

    if (ms <= 0)
        return;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
        struct fuse_context *context = fuse_get_context();

        if (context != NULL && context->fuse != NULL
            && fuse_session_exited(fuse_get_session(context->fuse)))
            return;
    }
}

/* -------------------------------------------------------- volatile cache */

struct write_piece_ctx {
    const char *buf;
    uint64_t offset; /* of buf[0] */
};

static int store_piece(void *opaque, uint64_t offset, uint64_t length);
static int fallocate_piece(void *opaque, uint64_t offset, uint64_t length);

static int cache_reserve(uint64_t pages)
{
    uint64_t capacity = g_cache.capacity ? g_cache.capacity : 1024;
    char **grown;

    if (pages <= g_cache.capacity)
        return 0;
    while (capacity < pages)
        capacity *= 2;
    if (capacity > SIZE_MAX / sizeof *grown)
        return -ENOMEM;
    grown = realloc(g_cache.pages, (size_t)capacity * sizeof *grown);
    if (grown == NULL)
        return -ENOMEM;
    memset(grown + g_cache.capacity, 0, (size_t)(capacity - g_cache.capacity) * sizeof *grown);
    g_cache.pages = grown;
    g_cache.capacity = capacity;
    return 0;
}

static void cache_forget(uint64_t page)
{
    char *entry = g_cache.pages[page];

    if (entry == NULL)
        return;
    if (entry != PAGE_PUNCHED && entry != PAGE_ZEROED)
        free(entry);
    g_cache.pages[page] = NULL;
    --g_cache.count;
}

static void cache_forget_all(void)
{
    uint64_t page;

    for (page = 0; page < g_cache.capacity && g_cache.count > 0; ++page)
        cache_forget(page);
    g_cache.end = 0;
}

/* The page's buffer, made from what a read sees there now. */
static char *cache_buffer(uint64_t page)
{
    char *entry;
    char *buffer;
    size_t done = 0;

    if (cache_reserve(page + 1) != 0)
        return NULL;
    entry = g_cache.pages[page];
    if (entry != NULL && entry != PAGE_PUNCHED && entry != PAGE_ZEROED)
        return entry;
    buffer = malloc(CACHE_PAGE);
    if (buffer == NULL)
        return NULL;
    memset(buffer, 0, CACHE_PAGE);
    while (entry == NULL && done < CACHE_PAGE) {
        ssize_t n = pread(g_state.backing_fd, buffer + done, CACHE_PAGE - done,
                          (off_t)(page * CACHE_PAGE + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* past the backing file's end: zeroes */
        done += (size_t)n;
    }
    if (entry == NULL)
        ++g_cache.count;
    g_cache.pages[page] = buffer;
    return buffer;
}

static int cache_write(const char *buf, uint64_t offset, uint64_t length)
{
    uint64_t done = 0;

    while (done < length) {
        const uint64_t at = offset + done;
        const uint64_t in_page = at % CACHE_PAGE;
        const uint64_t n = length - done < CACHE_PAGE - in_page ? length - done
                                                                : CACHE_PAGE - in_page;
        char *page = cache_buffer(at / CACHE_PAGE);

        if (page == NULL)
            return -ENOMEM;
        memcpy(page + in_page, buf + done, (size_t)n);
        done += n;
    }
    if (offset + length > g_cache.end)
        g_cache.end = offset + length;
    return 0;
}

static int cache_zero(uint64_t offset, uint64_t length, char *mark, int extends)
{
    uint64_t done = 0;

    while (done < length) {
        const uint64_t at = offset + done;
        const uint64_t page = at / CACHE_PAGE;
        const uint64_t in_page = at % CACHE_PAGE;
        const uint64_t n = length - done < CACHE_PAGE - in_page ? length - done
                                                                : CACHE_PAGE - in_page;

        if (n == CACHE_PAGE) {
            if (cache_reserve(page + 1) != 0)
                return -ENOMEM;
            cache_forget(page);
            g_cache.pages[page] = mark;
            ++g_cache.count;
        } else {
            char *buffer = cache_buffer(page);

            if (buffer == NULL)
                return -ENOMEM;
            memset(buffer + in_page, 0, (size_t)n);
        }
        done += n;
    }
    if (extends && offset + length > g_cache.end)
        g_cache.end = offset + length;
    return 0;
}

/* Lays the cached pages over buf, which holds the backing file's bytes. */
static void cache_overlay(char *buf, uint64_t offset, uint64_t length)
{
    uint64_t done = 0;

    while (done < length) {
        const uint64_t at = offset + done;
        const uint64_t page = at / CACHE_PAGE;
        const uint64_t in_page = at % CACHE_PAGE;
        const uint64_t n = length - done < CACHE_PAGE - in_page ? length - done
                                                                : CACHE_PAGE - in_page;
        const char *entry = page < g_cache.capacity ? g_cache.pages[page] : NULL;

        if (entry == PAGE_PUNCHED || entry == PAGE_ZEROED)
            memset(buf + done, 0, (size_t)n);
        else if (entry != NULL)
            memcpy(buf + done, entry + in_page, (size_t)n);
        done += n;
    }
}

/* Writes every cached page to the backing file, up to @size bytes of it. */
static int cache_write_back(uint64_t size)
{
    uint64_t page = 0;
    int res = 0;

    while (g_cache.count > 0 && page < g_cache.capacity) {
        char *entry = g_cache.pages[page];
        const uint64_t start = page * CACHE_PAGE;
        uint64_t end;

        if (entry == NULL) {
            ++page;
            continue;
        }
        if (entry == PAGE_PUNCHED || entry == PAGE_ZEROED) {
            /* A run of the same mark, in one call. */
            uint64_t last = page + 1;
            int mode = entry == PAGE_PUNCHED ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
                                             : FALLOC_FL_ZERO_RANGE;

            while (last < g_cache.capacity && g_cache.pages[last] == entry)
                ++last;
            end = last * CACHE_PAGE < size ? last * CACHE_PAGE : size;
            if (start < end)
                res = for_each_kept(start, end - start, 0, fallocate_piece, &mode);
            if (res != 0)
                return res;
            while (page < last)
                cache_forget(page++);
            continue;
        }
        end = start + CACHE_PAGE < size ? start + CACHE_PAGE : size;
        if (start < end) {
            struct write_piece_ctx ctx = { entry, start };

            res = for_each_kept(start, end - start, 0, store_piece, &ctx);
            if (res != 0)
                return res;
        }
        cache_forget(page++);
    }
    g_cache.end = 0;
    return 0;
}

/* The power loss SIGUSR1 asked for, taken before the next request is served. */
static void take_power_loss(void)
{
    uint64_t bytes;

    if (!g_power_loss)
        return;
    g_power_loss = 0;
    bytes = g_cache.count * CACHE_PAGE;
    cache_forget_all();
    fprintf(stderr, "faultfs: power loss: %" PRIu64 " bytes of unflushed writes dropped\n", bytes);
    fflush(stderr);
}

static void on_power_loss(int sig)
{
    (void)sig;
    g_power_loss = 1;
}

/* ------------------------------------------------------------- operations */

static int current_size(uint64_t *size)
{
    struct stat st;

    if (g_state.fixed_size) {
        *size = g_state.size;
        return 0;
    }
    if (fstat(g_state.backing_fd, &st) != 0)
        return errno ? -errno : -EIO;
    *size = (uint64_t)st.st_size;
    if (g_cache.enabled && g_cache.end > *size)
        *size = g_cache.end;
    return 0;
}

static void *faultfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
    (void)conn;
    cfg->direct_io = 1;
    cfg->kernel_cache = 0;
    cfg->auto_cache = 0;
    cfg->attr_timeout = 0;
    cfg->entry_timeout = 0;
    cfg->negative_timeout = 0;
    cfg->use_ino = 0;
    return NULL;
}

static int faultfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    struct stat backing;
    uint64_t size = 0;
    int res;

    (void)fi;
    take_power_loss();
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        st->st_uid = getuid();
        st->st_gid = getgid();
        return 0;
    }
    if (strcmp(path, DISK_PATH) != 0)
        return -ENOENT;

    if (fstat(g_state.backing_fd, &backing) != 0)
        return -errno;
    res = current_size(&size);
    if (res != 0)
        return res;
    st->st_mode = S_IFREG | (g_state.writable ? 0644 : 0444);
    st->st_nlink = 1;
    st->st_uid = backing.st_uid;
    st->st_gid = backing.st_gid;
    st->st_size = (off_t)size;
    st->st_blksize = 4096;
    st->st_blocks = backing.st_blocks;
    st->st_atim = backing.st_atim;
    st->st_mtim = backing.st_mtim;
    st->st_ctim = backing.st_ctim;
    return 0;
}

static int faultfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
                           struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
    (void)offset;
    (void)fi;
    (void)flags;
    if (strcmp(path, "/") != 0)
        return -ENOENT;
    filler(buf, ".", NULL, 0, 0);
    filler(buf, "..", NULL, 0, 0);
    filler(buf, DISK_NAME, NULL, 0, 0);
    return 0;
}

static int faultfs_open(const char *path, struct fuse_file_info *fi)
{
    take_power_loss();
    if (strcmp(path, DISK_PATH) != 0)
        return strcmp(path, "/") == 0 ? -EISDIR : -ENOENT;
    if ((fi->flags & O_ACCMODE) != O_RDONLY && !g_state.writable)
        return -EROFS;
    fi->direct_io = 1;
    fi->keep_cache = 0;
    fi->nonseekable = 0;
    return 0;
}

static int faultfs_read(const char *path, char *buf, size_t size, off_t offset,
                        struct fuse_file_info *fi)
{
    uint64_t file_size = 0;
    size_t done = 0;
    int res;

    (void)path;
    (void)fi;
    take_power_loss();
    if (offset < 0)
        return -EINVAL;
    res = find_fault(&g_state.read_faults, (uint64_t)offset, size);
    if (res != 0)
        return -res;
    res = current_size(&file_size);
    if (res != 0)
        return res;
    if ((uint64_t)offset >= file_size)
        return 0;
    if (size > file_size - (uint64_t)offset)
        size = (size_t)(file_size - (uint64_t)offset);
    if (size > INT_MAX)
        size = INT_MAX;

    while (done < size) {
        ssize_t n = pread(g_state.backing_fd, buf + done, size - done, offset + (off_t)done);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (done > 0)
                break;
            return -errno;
        }
        if (n == 0) {
            /* Past the backing file's end but inside --size (or inside
             * what cached writes extended it to): zeros. */
            if (g_state.fixed_size || g_cache.enabled) {
                memset(buf + done, 0, size - done);
                done = size;
            }
            break;
        }
        done += (size_t)n;
    }
    if (g_cache.enabled)
        cache_overlay(buf, (uint64_t)offset, done);
    return (int)done;
}

static int store_piece(void *opaque, uint64_t offset, uint64_t length)
{
    const struct write_piece_ctx *ctx = opaque;
    uint64_t done = 0;

    while (done < length) {
        ssize_t n = pwrite(g_state.backing_fd, ctx->buf + (offset - ctx->offset) + done,
                           (size_t)(length - done), (off_t)(offset + done));

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            return -EIO;
        done += (uint64_t)n;
    }
    return 0;
}

static int faultfs_write(const char *path, const char *buf, size_t size, off_t offset,
                         struct fuse_file_info *fi)
{
    size_t done = 0;
    int res;

    (void)path;
    (void)fi;
    take_power_loss();
    if (offset < 0)
        return -EINVAL;
    delay_write();
    res = find_fault(&g_state.write_faults, (uint64_t)offset, size);
    if (res != 0)
        return -res;
    if (g_state.fixed_size && size > 0) {
        if ((uint64_t)offset >= g_state.size)
            return -ENOSPC;
        if (size > g_state.size - (uint64_t)offset)
            size = (size_t)(g_state.size - (uint64_t)offset);
    }
    if (size > INT_MAX)
        size = INT_MAX;

    if (g_cache.enabled) {
        res = cache_write(buf, (uint64_t)offset, size);
        return res != 0 ? res : (int)size;
    }
    if (g_state.dropped_writes.count > 0) {
        struct write_piece_ctx ctx = { buf, (uint64_t)offset };

        res = for_each_kept((uint64_t)offset, size, 0, store_piece, &ctx);
        return res != 0 ? res : (int)size;
    }
    while (done < size) {
        ssize_t n = pwrite(g_state.backing_fd, buf + done, size - done, offset + (off_t)done);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (done > 0)
                break;
            return -errno;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (int)done;
}

static int faultfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
    (void)fi;
    if (strcmp(path, DISK_PATH) != 0)
        return -ENOENT;
    if (size < 0)
        return -EINVAL;
    if (!g_state.writable)
        return -EROFS;
    take_power_loss();
    if (g_cache.enabled) {
        /* A truncate is kept at once; what it cut off is no longer cached. */
        const uint64_t first = ((uint64_t)size + CACHE_PAGE - 1) / CACHE_PAGE;
        uint64_t page;

        if ((uint64_t)size % CACHE_PAGE != 0 && (uint64_t)size / CACHE_PAGE < g_cache.capacity
            && g_cache.pages[(uint64_t)size / CACHE_PAGE] != NULL) {
            char *tail = cache_buffer((uint64_t)size / CACHE_PAGE);

            if (tail == NULL)
                return -ENOMEM;
            memset(tail + (uint64_t)size % CACHE_PAGE, 0, CACHE_PAGE - (uint64_t)size % CACHE_PAGE);
        }
        for (page = first; page < g_cache.capacity; ++page)
            cache_forget(page);
        if (g_cache.end > (uint64_t)size)
            g_cache.end = (uint64_t)size;
    }
    if (ftruncate(g_state.backing_fd, size) != 0)
        return -errno;
    if (g_state.fixed_size)
        g_state.size = (uint64_t)size;
    return 0;
}

static int faultfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
    (void)path;
    (void)fi;
    take_power_loss();
    if (g_cache.enabled) {
        uint64_t size = 0;
        int res = current_size(&size);

        if (res == 0)
            res = cache_write_back(size);
        if (res != 0)
            return res;
    }
    if ((datasync ? fdatasync(g_state.backing_fd) : fsync(g_state.backing_fd)) != 0)
        return -errno;
    return 0;
}

static int faultfs_flush(const char *path, struct fuse_file_info *fi)
{
    (void)path;
    (void)fi;
    take_power_loss();
    return 0;
}

static int faultfs_release(const char *path, struct fuse_file_info *fi)
{
    (void)path;
    (void)fi;
    take_power_loss();
    return 0;
}

static int fallocate_piece(void *opaque, uint64_t offset, uint64_t length)
{
    const int mode = *(const int *)opaque;

    if (fallocate(g_state.backing_fd, mode, (off_t)offset, (off_t)length) != 0)
        return -errno;
    return 0;
}

static int faultfs_fallocate(const char *path, int mode, off_t offset, off_t length,
                             struct fuse_file_info *fi)
{
    const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    int res;

    (void)path;
    (void)fi;
    take_power_loss();
    if (mode != punch && mode != FALLOC_FL_ZERO_RANGE
        && mode != (FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE))
        return -EOPNOTSUPP;
    if (offset < 0 || length <= 0)
        return -EINVAL;
    if (!g_state.writable)
        return -EROFS;
    res = find_fault(&g_state.write_faults, (uint64_t)offset, (uint64_t)length);
    if (res != 0)
        return -res;
    if (g_state.fixed_size && (uint64_t)offset + (uint64_t)length > g_state.size)
        return (mode & FALLOC_FL_KEEP_SIZE) || (uint64_t)offset >= g_state.size ? -ENOSPC
                                                                                 : -EFBIG;
    if (g_cache.enabled)
        return cache_zero((uint64_t)offset, (uint64_t)length,
                          mode == punch ? PAGE_PUNCHED : PAGE_ZEROED,
                          !(mode & FALLOC_FL_KEEP_SIZE));
    return for_each_kept((uint64_t)offset, (uint64_t)length, 0, fallocate_piece, &mode);
}

static int faultfs_statfs(const char *path, struct statvfs *st)
{
    (void)path;
    take_power_loss();
    if (fstatvfs(g_state.backing_fd, st) != 0)
        return -errno;
    return 0;
}

static int faultfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
    (void)tv;
    (void)fi;
    return strcmp(path, DISK_PATH) == 0 || strcmp(path, "/") == 0 ? 0 : -ENOENT;
}

/* An orderly unmount: the disk writes its cache back before it goes. */
static void faultfs_destroy(void *private_data)
{
    uint64_t size = 0;

    (void)private_data;
    take_power_loss();
    if (g_cache.enabled && g_cache.count > 0
        && (current_size(&size) != 0 || cache_write_back(size) != 0
            || fdatasync(g_state.backing_fd) != 0))
        fprintf(stderr, "faultfs: cannot write the cache back at unmount\n");
}

static const struct fuse_operations k_operations = {
    .init = faultfs_init,
    .getattr = faultfs_getattr,
    .readdir = faultfs_readdir,
    .open = faultfs_open,
    .read = faultfs_read,
    .write = faultfs_write,
    .truncate = faultfs_truncate,
    .fsync = faultfs_fsync,
    .flush = faultfs_flush,
    .release = faultfs_release,
    .fallocate = faultfs_fallocate,
    .statfs = faultfs_statfs,
    .utimens = faultfs_utimens,
    .destroy = faultfs_destroy,
};

/* ------------------------------------------------------------------- main */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: faultfs BACKING_FILE MOUNTPOINT [--read-error OFFSET:LENGTH[:ERRNO]]...\n"
            "               [--write-error OFFSET:LENGTH[:ERRNO]]...\n"
            "               [--drop-write OFFSET:LENGTH]... [--write-delay-ms N]\n"
            "               [--write-delay-file PATH] [--size BYTES] [--volatile-cache]\n");
}

/*
 * Mounts and serves requests on this thread until the file system is
 * unmounted or SIGTERM, SIGINT or SIGHUP arrives; either ends with the file
 * system unmounted. Returns the process exit status.
 */
static int serve(char *program, const char *mountpoint)
{
    char *argv[] = { program, "-o", "fsname=faultfs,subtype=faultfs", NULL };
    struct fuse_args args = FUSE_ARGS_INIT(3, argv);
    struct fuse_session *session;
    struct fuse *fuse;
    int res;

    fuse = fuse_new(&args, &k_operations, sizeof k_operations, NULL);
    if (fuse == NULL)
        return 1;
    if (fuse_mount(fuse, mountpoint) != 0) {
        fuse_destroy(fuse);
        return 1;
    }
    session = fuse_get_session(fuse);
    /* A shell starting us in the background ignores SIGINT, and libfuse
     * only takes over signals left at their default. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    if (fuse_set_signal_handlers(session) != 0) {
        fuse_unmount(fuse);
        fuse_destroy(fuse);
        return 1;
    }
    if (g_cache.enabled) {
        struct sigaction power_loss;

        /* No SA_RESTART: the wait for the next request ends, and the loss
         * is taken before that request is served. */
        memset(&power_loss, 0, sizeof power_loss);
        power_loss.sa_handler = on_power_loss;
        sigemptyset(&power_loss.sa_mask);
        sigaction(SIGUSR1, &power_loss, NULL);
    }
    /* 0: unmounted from outside; > 0: stopped by that signal; < 0: error. */
    res = fuse_loop(fuse);
    fuse_remove_signal_handlers(session);
    fuse_unmount(fuse);
    fuse_destroy(fuse);
    fuse_opt_free_args(&args);
    if (res < 0) {
        fprintf(stderr, "faultfs: %s\n", strerror(-res));
        return 1;
    }
    return 0;
}

/* Matches "--name VALUE" and "--name=VALUE"; advances *index past VALUE. */
static int option_value(int argc, char **argv, int *index, const char *name, const char **value)
{
    const char *arg = argv[*index];
    size_t len = strlen(name);

    if (strncmp(arg, name, len) != 0)
        return 0;
    if (arg[len] == '=') {
        *value = arg + len + 1;
        return 1;
    }
    if (arg[len] != '\0')
        return 0;
    if (*index + 1 >= argc) {
        *value = NULL;
        return 1;
    }
    *value = argv[++*index];
    return 1;
}

int main(int argc, char **argv)
{
    const char *backing;
    const char *mountpoint;
    struct stat st;
    int i;
    int status;

    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    backing = argv[1];
    mountpoint = argv[2];

    for (i = 3; i < argc; ++i) {
        const char *value = NULL;
        struct fault_range range;
        struct fault_list *list = NULL;

        if (strcmp(argv[i], "--volatile-cache") == 0) {
            g_cache.enabled = 1;
            continue;
        }
        if (option_value(argc, argv, &i, "--read-error", &value))
            list = &g_state.read_faults;
        else if (option_value(argc, argv, &i, "--write-error", &value))
            list = &g_state.write_faults;
        else if (option_value(argc, argv, &i, "--drop-write", &value)) {
            /* OFFSET:LENGTH only: a dropped write has no error to report. */
            if (value == NULL || strchr(value, ':') != strrchr(value, ':')
                || parse_fault(value, &range) != 0) {
                fprintf(stderr, "faultfs: invalid --drop-write '%s' (want OFFSET:LENGTH)\n",
                        value ? value : "");
                return 2;
            }
            if (add_fault(&g_state.dropped_writes, &range) != 0) {
                fprintf(stderr, "faultfs: out of memory\n");
                return 1;
            }
            continue;
        } else if (option_value(argc, argv, &i, "--write-delay-ms", &value)) {
            uint64_t ms = 0;

            if (value == NULL || parse_u64(value, &ms) != 0 || ms > 3600000) {
                fprintf(stderr, "faultfs: invalid --write-delay-ms '%s'\n", value ? value : "");
                return 2;
            }
            g_state.write_delay_ms = (long)ms;
            continue;
        } else if (option_value(argc, argv, &i, "--write-delay-file", &value)) {
            if (value == NULL || *value == '\0') {
                fprintf(stderr, "faultfs: --write-delay-file needs a path\n");
                return 2;
            }
            g_state.write_delay_file = value;
            continue;
        } else if (option_value(argc, argv, &i, "--size", &value)) {
            if (value == NULL || parse_u64(value, &g_state.size) != 0
                || g_state.size > (uint64_t)INT64_MAX) {
                fprintf(stderr, "faultfs: invalid --size '%s'\n", value ? value : "");
                return 2;
            }
            g_state.fixed_size = 1;
            continue;
        } else {
            fprintf(stderr, "faultfs: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
        if (value == NULL || parse_fault(value, &range) != 0) {
            fprintf(stderr, "faultfs: invalid fault '%s' (want OFFSET:LENGTH[:ERRNO])\n",
                    value ? value : "");
            return 2;
        }
        if (add_fault(list, &range) != 0) {
            fprintf(stderr, "faultfs: out of memory\n");
            return 1;
        }
    }

    g_state.backing_fd = open(backing, O_RDWR | O_CLOEXEC);
    g_state.writable = 1;
    if (g_state.backing_fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
        g_state.backing_fd = open(backing, O_RDONLY | O_CLOEXEC);
        g_state.writable = 0;
    }
    if (g_state.backing_fd < 0) {
        fprintf(stderr, "faultfs: cannot open %s: %s\n", backing, strerror(errno));
        return 1;
    }
    if (fstat(g_state.backing_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "faultfs: %s is not a regular file\n", backing);
        return 1;
    }
    if (stat(mountpoint, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "faultfs: mount point %s is not a directory\n", mountpoint);
        return 1;
    }

    status = serve(argv[0], mountpoint);
    close(g_state.backing_fd);
    free(g_state.read_faults.items);
    free(g_state.write_faults.items);
    free(g_state.dropped_writes.items);
    cache_forget_all();
    free(g_cache.pages);
    return status;
}
