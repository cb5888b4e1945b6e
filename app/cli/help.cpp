#include "commands.h"
#include "text.h"

#include <cstdio>
#include <vector>

namespace cli {

namespace {

struct HelpOption
{
    const char* names;
    QString text;
};

// The mirror options and what each does. (A table, one entry per option.)
std::vector<HelpOption> helpOptions()
{
    return {
        {"--sync full|top|none",
         Cli::tr("full: everything; top: only the allocated extents of SOURCE (holes stay "
                 "untouched); none: only what is written to SOURCE during the job (default "
                 "full)")},
        {"--granularity SIZE",
         Cli::tr("dirty-tracking unit, a power of two from 512 B to 64 MiB (default 64 KiB, or "
                 "the target's physical block size when larger)")},
        {"--buf-size SIZE",
         Cli::tr("copy buffer, split into up to 16 requests (default 16M, at most 1G); rounded "
                 "up to whole granules, at least one, as QEMU does")},
        {"--speed RATE", Cli::tr("limit in bytes per second, e.g. 100M (default 0 = unlimited)")},
        {"--on-source-error P",
         Cli::tr("report|ignore|stop|enospc (default report); ignore re-reads a failed range "
                 "block by block, writes zeroes where nothing can be read and lists those "
                 "ranges at the end")},
        {"--on-target-error P", Cli::tr("report|ignore|stop|enospc (default report)")},
        {"--no-unmap", Cli::tr("write zeroes instead of discarding them (target fully allocated)")},
        {"--complete-when-ready", Cli::tr("complete as soon as the job is READY")},
        {"--cancel-when-ready", Cli::tr("cancel as soon as the job is READY (a consistent copy)")},
        {"--verify",
         Cli::tr("after the final copy, once SOURCE runs again, compare TARGET with SOURCE, and "
                 "where SOURCE changed since, with hashes of what was written (8 bytes per "
                 "granule)")},
        {"--max-freeze SECONDS",
         Cli::tr("longest time SOURCE's file systems stay frozen for the final copy (default "
                 "10, from 0.1 to 3600); a final copy that takes longer is abandoned, SOURCE is "
                 "thawed and the job goes on mirroring")},
        {"--wipe-rest",
         Cli::tr("clear TARGET past the end of SOURCE (a larger disk), so nothing of its old "
                 "data stays there; without it those bytes are kept and not compared")},
        {"--yield auto|off",
         Cli::tr("auto: while SOURCE's own programs use its disk, the copy gives way to them "
                 "(fewer requests, a lower rate, the idle I/O class) and speeds up again when the "
                 "disk is quiet; off: always full speed (default auto; a source nothing writes "
                 "to is copied at full speed either way)")},
        {"--reconnect-timeout SECONDS",
         Cli::tr("how long to wait for an NBD export whose connection was lost: the job "
                 "connects again and copies on, and what the server had not flushed is copied "
                 "again (default 60, 0 = fail at once; --resume goes on after longer outages)")},
        {"--format FMT",
         Cli::tr("TARGET's image format: raw, qcow2, vmdk, vhdx or vdi (default: by TARGET's "
                 "extension, .qcow2 .vmdk .vhdx .vdi; raw for any other name)")},
        {"--source-format FMT", Cli::tr("the same for SOURCE")},
        {"--backing FILE",
         Cli::tr("a new qcow2 TARGET reads what the job does not write from FILE (default: "
                 "none; with --sync top from a qcow2 that has one, SOURCE's backing file)")},
        {"--compress",
         Cli::tr("write a new qcow2 TARGET compressed; refused for a live SOURCE, whose changes "
                 "would rewrite compressed clusters")},
        {"--force", Cli::tr("accept a target block device that holds data")},
        {"--overwrite TARGET",
         Cli::tr("as --force for this one of the TARGETs alone, named as given (repeat it for "
                 "each target whose data may be overwritten)")},
        {"--expect-id ID",
         Cli::tr("refuse unless TARGET is still what you checked: the disk with this identity "
                 "(the id in `list --json`), or the image file with this identity (the id in "
                 "`inspect --json`: file:DEVMAJ:DEVMIN:INO:SIZE, or absent for a file the job "
                 "creates)")},
        {"--no-tracking",
         Cli::tr("do not track writes to a block-device source (only for sources nothing "
                 "writes to; refused if mounted)")},
        {"--json", Cli::tr("one JSON object per line on stdout (QMP-style events)")},
        {"--progress-interval MS",
         Cli::tr("BLOCK_JOB_PROGRESS every MS milliseconds (default 1000)")},
        {"--map-cells N", Cli::tr("add the dirty map (N cells, hex) to progress events")},
        {"--cancel-on-eof",
         Cli::tr("cancel the job when stdin is closed (for a program that drives the CLI "
                 "through a pipe)")},
        {"--no-command-queue",
         Cli::tr("refuse a command the job cannot take at once instead of holding it until it "
                 "can (for a program that follows the job's state itself)")},
        {"--keep-incomplete",
         Cli::tr("keep a target file the job created when it fails or is cancelled before "
                 "READY (for a program that asks its user instead)")},
        {"--drop-below RATE",
         Cli::tr("with several TARGETs: drop a target that copies slower than RATE for 30 s "
                 "while another keeps up (it ends as cancelled before READY)")},
        {"--state-dir DIR",
         Cli::tr("where the job keeps its checkpoints (default $DRIVEMIRROR_STATE_DIR, else "
                 "/var/lib/drivemirror for root, $XDG_STATE_HOME/drivemirror or "
                 "~/.local/state/drivemirror for a user)")},
        {"--resume",
         Cli::tr("go on from the checkpoint an interrupted job of SOURCE to TARGET left in "
                 "the state directory, instead of copying everything again (rule: resume "
                 "mismatch when there is none or it is another job's)")},
        {"--no-checkpoints",
         Cli::tr("keep no checkpoint: an interrupted job starts again from zero")},
        {"--checkpoint-interval SECONDS",
         Cli::tr("commit a checkpoint every SECONDS seconds (default 5, from 0.1 to 3600)")},
        {"-v, --verbose", Cli::tr("debug messages on stderr")},
    };
}

// What --help says after the options.
std::vector<QString> helpNotes()
{
    return {
        Cli::tr("Without --complete-when-ready or --cancel-when-ready the job waits at READY. "
                "Commands are read on stdin, one per line, whenever it is open: complete, "
                "cancel, cancel quick, pause, resume, speed RATE, status, each optionally "
                "followed by id=WORD, which the JSON reply carries back. complete sent before "
                "READY is carried out at READY. When stdin ends without --cancel-on-eof, the "
                "job goes on: a job at READY keeps mirroring until a signal or "
                "--complete-when-ready ends it. After READY, cancel freezes SOURCE for a "
                "final copy as complete does, so TARGET is a copy of one moment; cancel quick "
                "does not, and a live SOURCE's copy is then like a disk after a power cut. "
                "SIGINT, SIGTERM, SIGHUP and the other signals that would end the program "
                "cancel quickly."),
        Cli::tr("inspect applies every rule that needs no write to TARGET (for SOURCE, when "
                "given) and tells what TARGET holds and its identity, which mirror --expect-id "
                "takes to refuse anything else under that name: exit 0 when it would be "
                "accepted, 2 when a rule refuses it."),
        Cli::tr("With several TARGETs (up to 16) SOURCE is copied to all of them at once: "
                "each TARGET passes every rule before any is written, each has its own job and "
                "its own events (the JSON events' device is the TARGET), SOURCE is read once "
                "for all that keep pace, and a slow or failing TARGET holds up no other. "
                "Commands and signals act on all; complete and --complete-when-ready freeze a "
                "live SOURCE once for all. Give --expect-id once per TARGET, in their order. "
                "Exit code 11: some TARGETs were copied and some not; when none was, the first "
                "TARGET's code."),
        Cli::tr("station runs an imaging station: it hashes the image named in FILE (JSON, "
                "see the README), then clones it onto every drive that is plugged into one of "
                "FILE's slots from then on, several at once, verifies each by reading it back, "
                "appends one record a drive to the audit log and ejects the drive. Drives that "
                "were there before, that are in no slot, in several, mounted, too small or "
                "larger than max-size are never written. SIGINT and SIGTERM stop it and cancel "
                "the copies under way; with --disarm-on-eof, so do the line disarm on stdin "
                "and the end of stdin (for a program that runs the station as root and cannot "
                "signal it); --exit-after N stops it once N drives have finished. "
                "Exit codes: 0 every drive passed; 1 the audit log could not be written; 2 a "
                "bad FILE or nothing to clone; 12 a drive was refused or failed."),
        Cli::tr("A job killed, or ended by a signal or a failing disk, keeps its last "
                "checkpoint, and its TARGET stays (also a file the job created); one you "
                "cancel or that completes does not. mirror ... --resume trusts the checkpoint "
                "as it is only when SOURCE is offline and provably unchanged since (an image "
                "with the same inode, size and change times; a disk in the same boot with the "
                "same write counters); otherwise it reads SOURCE once, compares it with hashes "
                "of what TARGET got, and copies again what differs. jobs lists the interrupted "
                "jobs of a state directory, newest first, with the command that goes on; jobs "
                "--discard ID removes one's files (not its TARGET). map export ID writes a "
                "job's map as a GNU ddrescue mapfile (to FILE, or stdout): what is in sync is "
                "finished, the rest non-tried, what SOURCE could not be read bad."),
        Cli::tr("serve exports PATH (an image or a disk) over NBD, for a client on another "
                "machine (qemu-img, nbdcopy, a virtual machine), through qemu-nbd, until SIGINT "
                "or SIGTERM. It prints the URI to connect to: by default a unix socket in the "
                "runtime directory; --listen tcp:0.0.0.0:10809 serves the network. "
                "--read-only applies a source's rules and refuses writes; otherwise a "
                "target's: not mounted, not in use, not the system disk, and a disk holding "
                "data only with --overwrite PATH. --tls-psk FILE (USERNAME:HEXKEY lines, as "
                "psktool writes them) requires TLS; writable over TCP without it is refused "
                "unless --insecure. The export is named after PATH's last component unless "
                "--export NAME. Exit codes: 0 stopped by a signal; 1 qemu-nbd ended by "
                "itself; 2 refused, nothing served."),
        Cli::tr("SOURCE and TARGET can be NBD exports: nbd://HOST[:PORT]/EXPORT, "
                "nbd+unix:///EXPORT?socket=PATH, or nbds:// and nbds+unix:// with TLS "
                "(nbds://USER@HOST/EXPORT?tls-psk-file=FILE). A TARGET export must exist and be "
                "at least as large as SOURCE; a read-only one is refused, and one whose first or "
                "last megabyte holds data only with --overwrite URI. A bad URI, an unreachable "
                "server or a wrong key: exit code 2, nothing written."),
        Cli::tr("Image formats: a SOURCE or TARGET named .qcow2, .vmdk, .vhdx or .vdi (or "
                "given --format / --source-format) is its virtual disk, read and written "
                "through a qemu-nbd of the job's own on a private socket; the file must carry "
                "that format (rule: image format mismatch). A new one is made with qemu-img "
                "create, the size of SOURCE. --sync top from a qcow2 copies its top layer "
                "alone (qemu:allocation-depth), and a new qcow2 TARGET gets SOURCE's backing "
                "file. An image that a virtual machine has open is refused: QEMU's locks."),
        Cli::tr("SIZE and RATE: bytes, or a number with K, M, G, T (binary; KiB, MiB... too). "
                "A value that rounds down to 0, exponents (1e3), abbreviated and repeated "
                "options are refused."),
        Cli::tr("Exit codes: 0 done as asked; 1 internal error; 2 bad input or refused by a "
                "safety rule (nothing written); 3 source failed; 4 target failed; 5 cancelled "
                "before READY (target incomplete); 6 verification found differences; 7 "
                "--complete-when-ready could not complete, because SOURCE could not be frozen "
                "for the final copy (long enough); TARGET is like a disk after a power cut; 8 "
                "completed, but --on-source-error or --on-target-error ignore left ranges "
                "zeroed or unwritten: the copy is not whole; 9 cancelled after READY: TARGET "
                "is a copy of one moment (consistent, or after cancel quick or a signal like "
                "a disk after a power cut); 10 completed, but the verification was cancelled: "
                "the copy is whole but not checked. A TARGET file the job created is "
                "removed again when the job fails or is cancelled before READY."),
    };
}

} // namespace

void printHelp()
{
    constexpr int kDescriptionColumn = 27;
    std::string out = fill(Cli::tr("Usage:")) + "\n";
    out +=
        "  drivemirror-cli mirror SOURCE TARGET [TARGET...] " + fill(Cli::tr("[options]")) + "\n";
    out += "  drivemirror-cli verify A B [--json]\n"
           "  drivemirror-cli info PATH [--json]\n"
           "  drivemirror-cli inspect TARGET [--source SOURCE] [--expect-id ID] [--json]\n"
           "  drivemirror-cli list [--json]\n"
           "  drivemirror-cli station --config FILE [--json] [--exit-after N] "
           "[--disarm-on-eof] [-v]\n"
           "  drivemirror-cli jobs [--state-dir DIR] [--json] [--discard ID]\n"
           "  drivemirror-cli map export ID [--state-dir DIR] [--output FILE]\n"
           "  drivemirror-cli serve PATH [--listen unix:SOCKET|tcp:HOST:PORT]\n"
           "                  [--export NAME] [--read-only] [--tls-psk FILE] [--insecure]\n"
           "                  [--overwrite PATH] [--json]\n"
           "  drivemirror-cli demo [--size SIZE] [--dir DIR] [--live SECONDS] "
           "[--writer-rate RATE] [--json]\n"
           "  drivemirror-cli --version | --help\n\n";
    out += wrapText(Cli::tr("mirror copies SOURCE to TARGET (image files or block devices) "
                            "with QEMU's drive-mirror semantics and keeps TARGET in sync until "
                            "you complete or cancel. A TARGET that does not exist is created "
                            "as a sparse file of SOURCE's size."),
                    0) +
           "\n\n";
    out += fill(Cli::tr("Mirror options:")) + "\n";
    for (const HelpOption& o : helpOptions()) {
        std::string line = std::string("  ") + o.names;
        if (static_cast<int>(line.size()) >= kDescriptionColumn - 1)
            line += "\n" + std::string(kDescriptionColumn, ' ');
        else
            line += std::string(kDescriptionColumn - line.size(), ' ');
        out += line + wrapText(o.text, kDescriptionColumn) + "\n";
    }
    out += "\n";
    const std::vector<QString> paragraphs = helpNotes();
    for (std::size_t i = 0; i < paragraphs.size(); ++i)
        out += (i ? "\n" : "") + wrapText(paragraphs[i], 0) + "\n";
    std::fputs(out.c_str(), stdout);
}

} // namespace cli
