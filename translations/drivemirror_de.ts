<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>cli</name>
    <message>
        <source>full: everything; top: only the allocated extents of SOURCE (holes stay untouched); none: only what is written to SOURCE during the job (default full)</source>
        <translation>full: alles; top: nur die belegten Bereiche von SOURCE (Lücken bleiben unverändert); none: nur, was während des Auftrags auf SOURCE geschrieben wird (Standard: full)</translation>
    </message>
    <message>
        <source>dirty-tracking unit, a power of two from 512 B to 64 MiB (default 64 KiB, or the target&apos;s physical block size when larger)</source>
        <translation>Einheit der Änderungsverfolgung, eine Zweierpotenz von 512 B bis 64 MiB (Standard: 64 KiB oder die physische Blockgröße des Ziels, wenn diese größer ist)</translation>
    </message>
    <message>
        <source>limit in bytes per second, e.g. 100M (default 0 = unlimited)</source>
        <translation>Begrenzung in Bytes pro Sekunde, z. B. 100M (Standard: 0 = unbegrenzt)</translation>
    </message>
    <message>
        <source>report|ignore|stop|enospc (default report); ignore re-reads a failed range block by block, writes zeroes where nothing can be read and lists those ranges at the end</source>
        <translation>report|ignore|stop|enospc (Standard: report); ignore liest einen fehlgeschlagenen Bereich Block für Block erneut, schreibt Nullen, wo nichts gelesen werden kann, und listet diese Bereiche am Ende auf</translation>
    </message>
    <message>
        <source>report|ignore|stop|enospc (default report)</source>
        <translation>report|ignore|stop|enospc (Standard: report)</translation>
    </message>
    <message>
        <source>write zeroes instead of discarding them (target fully allocated)</source>
        <translation>Nullen schreiben, statt sie zu verwerfen (Ziel vollständig belegt)</translation>
    </message>
    <message>
        <source>complete as soon as the job is READY</source>
        <translation>abschließen, sobald der Auftrag READY ist</translation>
    </message>
    <message>
        <source>cancel as soon as the job is READY (a consistent copy)</source>
        <translation>abbrechen, sobald der Auftrag READY ist (eine konsistente Kopie)</translation>
    </message>
    <message>
        <source>accept a target block device that holds data</source>
        <translation>ein Ziel-Blockgerät akzeptieren, das Daten enthält</translation>
    </message>
    <message>
        <source>do not track writes to a block-device source (only for sources nothing writes to; refused if mounted)</source>
        <translation>Schreibzugriffe auf eine Blockgerät-Quelle nicht verfolgen (nur für Quellen, auf die nichts schreibt; abgelehnt, wenn eingehängt)</translation>
    </message>
    <message>
        <source>one JSON object per line on stdout (QMP-style events)</source>
        <translation>ein JSON-Objekt pro Zeile auf stdout (Ereignisse im Stil von QMP)</translation>
    </message>
    <message>
        <source>BLOCK_JOB_PROGRESS every MS milliseconds (default 1000)</source>
        <translation>BLOCK_JOB_PROGRESS alle MS Millisekunden (Standard: 1000)</translation>
    </message>
    <message>
        <source>add the dirty map (N cells, hex) to progress events</source>
        <translation>die Änderungskarte (N Zellen, hexadezimal) zu den Fortschrittsereignissen hinzufügen</translation>
    </message>
    <message>
        <source>cancel the job when stdin is closed (for a program that drives the CLI through a pipe)</source>
        <translation>den Auftrag abbrechen, wenn stdin geschlossen wird (für ein Programm, das die CLI über eine Pipe steuert)</translation>
    </message>
    <message>
        <source>debug messages on stderr</source>
        <translation>Debug-Meldungen auf stderr</translation>
    </message>
    <message>
        <source>Usage:</source>
        <translation>Aufruf:</translation>
    </message>
    <message>
        <source>[options]</source>
        <translation>[Optionen]</translation>
    </message>
    <message>
        <source>mirror copies SOURCE to TARGET (image files or block devices) with QEMU&apos;s drive-mirror semantics and keeps TARGET in sync until you complete or cancel. A TARGET that does not exist is created as a sparse file of SOURCE&apos;s size.</source>
        <translation>mirror kopiert SOURCE nach TARGET (Image-Dateien oder Blockgeräte) mit der Semantik von QEMUs drive-mirror und hält TARGET synchron, bis Sie abschließen oder abbrechen. Ein TARGET, das nicht existiert, wird als Sparse-Datei in der Größe von SOURCE erstellt.</translation>
    </message>
    <message>
        <source>Mirror options:</source>
        <translation>Optionen von mirror:</translation>
    </message>
    <message>
        <source>identical: %1 and %2 agree over %3 (%4 read, %5 of holes on both sides)</source>
        <translation>identisch: %1 und %2 stimmen über %3 überein (%4 gelesen, %5 Lücken auf beiden Seiten)</translation>
    </message>
    <message numerus="yes">
        <source>DIFFERENT: %1 and %2 differ in more than %n range(s):</source>
        <translation>
            <numerusform>UNTERSCHIEDLICH: %1 und %2 unterscheiden sich in mehr als %n Bereich:</numerusform>
            <numerusform>UNTERSCHIEDLICH: %1 und %2 unterscheiden sich in mehr als %n Bereichen:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>DIFFERENT: %1 and %2 differ in %n range(s):</source>
        <translation>
            <numerusform>UNTERSCHIEDLICH: %1 und %2 unterscheiden sich in %n Bereich:</numerusform>
            <numerusform>UNTERSCHIEDLICH: %1 und %2 unterscheiden sich in %n Bereichen:</numerusform>
        </translation>
    </message>
    <message>
        <source>offset %1, %2 bytes</source>
        <translation>Offset %1, %2 Bytes</translation>
    </message>
    <message>
        <source>unknown sync mode &apos;%1&apos; (use full, top or none)</source>
        <translation>unbekannter Sync-Modus &apos;%1&apos; (full, top oder none verwenden)</translation>
    </message>
    <message>
        <source>--granularity: must not be 0</source>
        <translation>--granularity: darf nicht 0 sein</translation>
    </message>
    <message>
        <source>unknown error policy &apos;%1&apos; (use report, ignore, stop or enospc)</source>
        <translation>unbekannte Fehlerbehandlung &apos;%1&apos; (report, ignore, stop oder enospc verwenden)</translation>
    </message>
    <message>
        <source>--progress-interval: milliseconds from 50 to 60000, not &apos;%1&apos;</source>
        <translation>--progress-interval: Millisekunden von 50 bis 60000, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--map-cells: a number of cells from 1 to 1048576, not &apos;%1&apos;</source>
        <translation>--map-cells: eine Zellenzahl von 1 bis 1048576, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown option</source>
        <translation>unbekannte Option</translation>
    </message>
    <message>
        <source>cannot create a pipe: %1</source>
        <translation>Pipe kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>%1  %2  %3 of %4  %5  ETA %6  dirty %7</source>
        <translation>%1  %2  %3 von %4  %5  Restzeit %6  zu kopieren %7</translation>
    </message>
    <message>
        <source>STOPPED: %1</source>
        <translation>ANGEHALTEN: %1</translation>
    </message>
    <message>
        <source>%1 received: cancelling</source>
        <translation>%1 empfangen: wird abgebrochen</translation>
    </message>
    <message>
        <source>stdin closed: cancelling</source>
        <translation>stdin geschlossen: wird abgebrochen</translation>
    </message>
    <message>
        <source>READY: %1 and %2 are in sync</source>
        <translation>READY: %1 und %2 sind synchron</translation>
    </message>
    <message>
        <source>READY: %1 and %2 are in sync; type &apos;complete&apos; or &apos;cancel&apos; and Enter</source>
        <translation>READY: %1 und %2 sind synchron; &apos;complete&apos; oder &apos;cancel&apos; eingeben und Enter drücken</translation>
    </message>
    <message>
        <source>demo: %1 written by the live writer so far; completing</source>
        <translation>Demo: bisher %1 vom laufenden Schreiber geschrieben; wird abgeschlossen</translation>
    </message>
    <message>
        <source>%1 processed, of which %2 were zero runs written without data transfer, in %3; data copied at %4</source>
        <translation>%1 verarbeitet, davon %2 Nullbereiche ohne Datenübertragung geschrieben, in %3; Daten kopiert mit %4</translation>
    </message>
    <message>
        <source>completed: %1; %2 is identical to %3 as of the final copy (source quiesced %4 s)</source>
        <translation>abgeschlossen: %1; %2 ist zum Zeitpunkt der letzten Kopie identisch mit %3 (Quelle %4 s ruhiggestellt)</translation>
    </message>
    <message>
        <source>completed with errors ignored: %1; %2 differs from %3 in the ranges listed below</source>
        <translation>abgeschlossen, Fehler ignoriert: %1; %2 unterscheidet sich von %3 in den unten aufgeführten Bereichen</translation>
    </message>
    <message>
        <source>cancelled before READY: the target is incomplete: %1</source>
        <translation>vor READY abgebrochen: Das Ziel ist unvollständig: %1</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>unreadable source range written as zeroes: offset %1, %2 bytes</source>
        <translation>unlesbarer Quellbereich als Nullen geschrieben: Offset %1, %2 Bytes</translation>
    </message>
    <message>
        <source>target range left unwritten: offset %1, %2 bytes</source>
        <translation>Zielbereich nicht geschrieben: Offset %1, %2 Bytes</translation>
    </message>
    <message>
        <source>--complete-when-ready and --cancel-when-ready exclude each other</source>
        <translation>--complete-when-ready und --cancel-when-ready schließen einander aus</translation>
    </message>
    <message>
        <source>%1; run again with --force to accept</source>
        <translation>%1; zum Akzeptieren erneut mit --force ausführen</translation>
    </message>
    <message>
        <source>--force: %1 will be overwritten</source>
        <translation>--force: %1 wird überschrieben</translation>
    </message>
    <message>
        <source>mirror: unknown option or missing value: %1 (see --help)</source>
        <translation>mirror: unbekannte Option oder fehlender Wert: %1 (siehe --help)</translation>
    </message>
    <message>
        <source>mirror needs SOURCE and TARGET (see --help)</source>
        <translation>mirror braucht SOURCE und TARGET (siehe --help)</translation>
    </message>
    <message>
        <source>demo: unknown option or missing value: %1 (see --help)</source>
        <translation>demo: unbekannte Option oder fehlender Wert: %1 (siehe --help)</translation>
    </message>
    <message>
        <source>--size: at least 16M</source>
        <translation>--size: mindestens 16M</translation>
    </message>
    <message>
        <source>--live: a number of seconds</source>
        <translation>--live: eine Anzahl von Sekunden</translation>
    </message>
    <message>
        <source>--writer-rate: a rate above 0</source>
        <translation>--writer-rate: eine Rate über 0</translation>
    </message>
    <message>
        <source>demo takes no file arguments (see --help)</source>
        <translation>demo nimmt keine Dateiargumente (siehe --help)</translation>
    </message>
    <message>
        <source>demo: preparing a %1 source image with data extents in %2</source>
        <translation>Demo: Ein Quell-Image von %1 mit Datenbereichen wird in %2 vorbereitet</translation>
    </message>
    <message>
        <source>demo: a writer changes the source at %1 while it is mirrored; the job completes %2 s after READY and verifies the copy</source>
        <translation>Demo: Ein Schreiber ändert die Quelle mit %1, während sie gespiegelt wird; der Auftrag wird %2 s nach READY abgeschlossen und überprüft die Kopie</translation>
    </message>
    <message>
        <source>verify: unknown option %1</source>
        <translation>verify: unbekannte Option %1</translation>
    </message>
    <message>
        <source>verify needs two paths (see --help)</source>
        <translation>verify braucht zwei Pfade (siehe --help)</translation>
    </message>
    <message>
        <source>%1 (%2) is smaller than %3 (%4)</source>
        <translation>%1 (%2) ist kleiner als %3 (%4)</translation>
    </message>
    <message>
        <source>verifying %1</source>
        <translation>Überprüfung: %1</translation>
    </message>
    <message>
        <source>note: %1 is %2 larger; the extra bytes were not compared</source>
        <translation>Hinweis: %1 ist %2 größer; die zusätzlichen Bytes wurden nicht verglichen</translation>
    </message>
    <message>
        <source>info: unknown option %1</source>
        <translation>info: unbekannte Option %1</translation>
    </message>
    <message>
        <source>info takes one path</source>
        <translation>info nimmt genau einen Pfad</translation>
    </message>
    <message>
        <source>info needs a path (see --help)</source>
        <translation>info braucht einen Pfad (siehe --help)</translation>
    </message>
    <message>
        <source>path:</source>
        <translation>Pfad:</translation>
    </message>
    <message>
        <source>kind:</source>
        <translation>Art:</translation>
    </message>
    <message>
        <source>block device</source>
        <translation>Blockgerät</translation>
    </message>
    <message>
        <source>image file</source>
        <translation>Image-Datei</translation>
    </message>
    <message>
        <source>size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Bytes)</translation>
    </message>
    <message>
        <source>logical block:</source>
        <translation>Logischer Block:</translation>
    </message>
    <message>
        <source>physical block:</source>
        <translation>Physischer Block:</translation>
    </message>
    <message>
        <source>direct I/O:</source>
        <translation>Direkt-E/A:</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no (buffered)</source>
        <translation>nein (gepuffert)</translation>
    </message>
    <message>
        <source>allocated:</source>
        <translation>Belegt:</translation>
    </message>
    <message numerus="yes">
        <source>%1 in %n extent(s)</source>
        <translation>
            <numerusform>%1 in %n Bereich</numerusform>
            <numerusform>%1 in %n Bereichen</numerusform>
        </translation>
    </message>
    <message>
        <source>default granularity:</source>
        <translation>Standard-Granularität:</translation>
    </message>
    <message>
        <source>mounted:</source>
        <translation>Eingehängt:</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>list: unknown argument %1</source>
        <translation>list: unbekanntes Argument %1</translation>
    </message>
    <message>
        <source>DEVICE</source>
        <translation>GERÄT</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>ART</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>GRÖSSE</translation>
    </message>
    <message>
        <source>MODEL</source>
        <translation>MODELL</translation>
    </message>
    <message>
        <source>FS</source>
        <translation>DATEISYSTEM</translation>
    </message>
    <message>
        <source>USE</source>
        <translation>VERWENDUNG</translation>
    </message>
    <message>
        <source>mounted at %1</source>
        <translation>eingehängt in %1</translation>
    </message>
    <message>
        <source>swap</source>
        <translation>Swap</translation>
    </message>
    <message>
        <source>held by %1</source>
        <translation>belegt durch %1</translation>
    </message>
    <message>
        <source>system disk</source>
        <translation>Systemdatenträger</translation>
    </message>
    <message>
        <source>%1, system disk</source>
        <translation>%1, Systemdatenträger</translation>
    </message>
    <message>
        <source>inspect: %1 needs a value</source>
        <translation>inspect: %1 braucht einen Wert</translation>
    </message>
    <message>
        <source>inspect: unknown option %1</source>
        <translation>inspect: unbekannte Option %1</translation>
    </message>
    <message>
        <source>inspect takes one target</source>
        <translation>inspect nimmt genau ein Ziel</translation>
    </message>
    <message>
        <source>inspect needs a target (see --help)</source>
        <translation>inspect braucht ein Ziel (siehe --help)</translation>
    </message>
    <message>
        <source>target:</source>
        <translation>Ziel:</translation>
    </message>
    <message>
        <source>holds:</source>
        <translation>Enthält:</translation>
    </message>
    <message>
        <source>device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>verdict:</source>
        <translation>Ergebnis:</translation>
    </message>
    <message>
        <source>nothing (it does not exist and would be created)</source>
        <translation>nichts (existiert nicht und würde erstellt)</translation>
    </message>
    <message>
        <source>unknown (the first sectors could not be read)</source>
        <translation>unbekannt (die ersten Sektoren konnten nicht gelesen werden)</translation>
    </message>
    <message>
        <source>no known partition table or file system</source>
        <translation>keine bekannte Partitionstabelle und kein bekanntes Dateisystem</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source>accepted once you agree to overwrite %1 (mirror --force)</source>
        <translation>akzeptiert, sobald Sie dem Überschreiben von %1 zustimmen (mirror --force)</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>akzeptiert</translation>
    </message>
    <message>
        <source>missing command (see --help)</source>
        <translation>Befehl fehlt (siehe --help)</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (see --help)</source>
        <translation>unbekannter Befehl &apos;%1&apos; (siehe --help)</translation>
    </message>
    <message>
        <source>disk</source>
        <translation>Festplatte</translation>
    </message>
    <message>
        <source>SSD</source>
        <translation>SSD</translation>
    </message>
    <message>
        <source>partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>loop</source>
        <translation>Loop</translation>
    </message>
    <message>
        <source>loop partition</source>
        <translation>Loop-Partition</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>SD card</source>
        <translation>SD-Karte</translation>
    </message>
    <message>
        <source>virtual</source>
        <translation>virtuell</translation>
    </message>
    <message>
        <source>after the final copy, once SOURCE runs again, compare TARGET with SOURCE, and where SOURCE changed since, with hashes of what was written (8 bytes per granule)</source>
        <translation>nach der letzten Kopie, sobald SOURCE weiterläuft, TARGET mit SOURCE vergleichen und, wo sich SOURCE seitdem geändert hat, mit Hashes des Geschriebenen (8 Bytes pro Granule)</translation>
    </message>
    <message>
        <source>longest time SOURCE&apos;s file systems stay frozen for the final copy (default 10, from 0.1 to 3600); a final copy that takes longer is abandoned, SOURCE is thawed and the job goes on mirroring</source>
        <translation>längste Zeit, die die Dateisysteme von SOURCE für die letzte Kopie eingefroren bleiben (Standard: 10, von 0.1 bis 3600); dauert die letzte Kopie länger, wird sie aufgegeben, SOURCE wird wieder freigegeben und der Auftrag spiegelt weiter</translation>
    </message>
    <message>
        <source>clear TARGET past the end of SOURCE (a larger disk), so nothing of its old data stays there; without it those bytes are kept and not compared</source>
        <translation>TARGET hinter dem Ende von SOURCE leeren (bei einem größeren Datenträger), damit dort nichts von seinen alten Daten bleibt; ohne diese Option bleiben diese Bytes erhalten und werden nicht verglichen</translation>
    </message>
    <message>
        <source>refuse unless TARGET is still what you checked: the disk with this identity (the id in `list --json`), or the image file with this identity (the id in `inspect --json`: file:DEVMAJ:DEVMIN:INO:SIZE, or absent for a file the job creates)</source>
        <translation>ablehnen, wenn TARGET nicht mehr das ist, was Sie geprüft haben: der Datenträger mit dieser Kennung (die id in `list --json`) oder die Image-Datei mit dieser Kennung (die id in `inspect --json`: file:DEVMAJ:DEVMIN:INO:SIZE, oder absent für eine Datei, die der Auftrag erstellt)</translation>
    </message>
    <message>
        <source>inspect applies every rule that needs no write to TARGET (for SOURCE, when given) and tells what TARGET holds and its identity, which mirror --expect-id takes to refuse anything else under that name: exit 0 when it would be accepted, 2 when a rule refuses it.</source>
        <translation>inspect wendet jede Regel an, die keinen Schreibzugriff auf TARGET braucht (für SOURCE, falls angegeben), und zeigt, was TARGET enthält, sowie seine Kennung, mit der mirror --expect-id alles andere unter diesem Namen ablehnt: Exit-Code 0, wenn es akzeptiert würde, 2, wenn eine Regel es ablehnt.</translation>
    </message>
    <message>
        <source>%1 changed on %2 after the final copy: %3 of it checked against hashes of what was written to %4, %5 never written by the job and not checked</source>
        <translation>nach der letzten Kopie auf %2 geändert: %1, davon %3 mit Hashes des auf %4 Geschriebenen geprüft, %5 vom Auftrag nie geschrieben und nicht geprüft</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 read back as zeroes</source>
        <translation>die %1 von %2 hinter dem Ende von %3 wurden als Nullen zurückgelesen</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were not compared</source>
        <translation>die %1 von %2 hinter dem Ende von %3 wurden nicht verglichen</translation>
    </message>
    <message>
        <source>--max-freeze: seconds from 0.1 to 3600, not &apos;%1&apos;</source>
        <translation>--max-freeze: Sekunden von 0.1 bis 3600, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--expect-id: an identity from `list --json` or `inspect --json`, not empty</source>
        <translation>--expect-id: eine Kennung aus `list --json` oder `inspect --json`, nicht leer</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (complete, cancel, cancel quick, pause, resume, speed RATE, status)</source>
        <translation>unbekannter Befehl &apos;%1&apos; (complete, cancel, cancel quick, pause, resume, speed RATE, status)</translation>
    </message>
    <message>
        <source>command line longer than %1 bytes: ignored</source>
        <translation>Befehlszeile länger als %1 Bytes: ignoriert</translation>
    </message>
    <message>
        <source>complete failed: %1; the job goes on mirroring at READY</source>
        <translation>Abschließen fehlgeschlagen: %1; der Auftrag spiegelt bei READY weiter</translation>
    </message>
    <message>
        <source>giving up after %1 attempts to complete; cancelling</source>
        <translation>Abschließen nach %1 Versuchen aufgegeben; wird abgebrochen</translation>
    </message>
    <message>
        <source>verifying: comparing %1 with %2 while the source runs on</source>
        <translation>Überprüfung: %1 wird mit %2 verglichen, während die Quelle weiterläuft</translation>
    </message>
    <message>
        <source>completed: %1; but the verification found %2 different from %3 (ranges below)</source>
        <translation>abgeschlossen: %1; aber die Überprüfung hat Unterschiede zwischen %2 und %3 gefunden (Bereiche unten)</translation>
    </message>
    <message>
        <source>completed: %1; %2 holds the allocated data of %3 as of the final copy; its other ranges were not copied (sync top; source quiesced %4 s)</source>
        <translation>abgeschlossen: %1; %2 enthält die belegten Daten von %3 zum Zeitpunkt der letzten Kopie; die übrigen Bereiche wurden nicht kopiert (sync top; Quelle %4 s ruhiggestellt)</translation>
    </message>
    <message>
        <source>completed: %1; %2 holds what was written to %3 during the job, nothing else was copied (sync none; source quiesced %4 s)</source>
        <translation>abgeschlossen: %1; %2 enthält, was während des Auftrags auf %3 geschrieben wurde, sonst wurde nichts kopiert (sync none; Quelle %4 s ruhiggestellt)</translation>
    </message>
    <message>
        <source>cancelled after READY without freezing the source: %1; %2 is like %3 after a power cut (a file system on it needs its journal replayed, and the last writes are missing)</source>
        <translation>nach READY ohne Einfrieren der Quelle abgebrochen: %1; %2 gleicht %3 nach einem Stromausfall (ein Dateisystem darauf braucht ein Journal-Replay, und die letzten Schreibzugriffe fehlen)</translation>
    </message>
    <message>
        <source>cancelled after READY: %1; %2 is a consistent copy of %3 as of the final copy (source quiesced %4 s)</source>
        <translation>nach READY abgebrochen: %1; %2 ist eine konsistente Kopie von %3 zum Zeitpunkt der letzten Kopie (Quelle %4 s ruhiggestellt)</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were cleared</source>
        <translation>die %1 von %2 hinter dem Ende von %3 wurden geleert</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were kept as they were (use --wipe-rest to clear them)</source>
        <translation>die %1 von %2 hinter dem Ende von %3 wurden unverändert belassen (mit --wipe-rest werden sie geleert)</translation>
    </message>
    <message>
        <source>verification cancelled: the copy is complete but was not checked</source>
        <translation>Überprüfung abgebrochen: Die Kopie ist vollständig, wurde aber nicht geprüft</translation>
    </message>
    <message>
        <source>identity:</source>
        <translation>Kennung:</translation>
    </message>
    <message>
        <source>%1 (for mirror --expect-id)</source>
        <translation>%1 (für mirror --expect-id)</translation>
    </message>
    <message>
        <source>accepted once you agree to overwrite what it holds (mirror --force)</source>
        <translation>akzeptiert, sobald Sie dem Überschreiben seines Inhalts zustimmen (mirror --force)</translation>
    </message>
    <message>
        <source>copy buffer, split into up to 16 requests (default 16M, at most 1G); rounded up to whole granules, at least one, as QEMU does</source>
        <translation>Kopierpuffer, aufgeteilt auf bis zu 16 Anforderungen (Standard: 16M, höchstens 1G); wie bei QEMU auf ganze Granulen aufgerundet, mindestens eine</translation>
    </message>
    <message>
        <source>Without --complete-when-ready or --cancel-when-ready the job waits at READY. Commands are read on stdin, one per line, whenever it is open: complete, cancel, cancel quick, pause, resume, speed RATE, status, each optionally followed by id=WORD, which the JSON reply carries back. complete sent before READY is carried out at READY. When stdin ends without --cancel-on-eof, the job goes on: a job at READY keeps mirroring until a signal or --complete-when-ready ends it. After READY, cancel freezes SOURCE for a final copy as complete does, so TARGET is a copy of one moment; cancel quick does not, and a live SOURCE&apos;s copy is then like a disk after a power cut. SIGINT, SIGTERM, SIGHUP and the other signals that would end the program cancel quickly.</source>
        <translation>Ohne --complete-when-ready oder --cancel-when-ready wartet der Auftrag bei READY. Befehle werden von stdin gelesen, einer pro Zeile, solange stdin offen ist: complete, cancel, cancel quick, pause, resume, speed RATE, status, jeweils optional gefolgt von id=WORD, das die JSON-Antwort zurückgibt. Ein complete vor READY wird bei READY ausgeführt. Endet stdin ohne --cancel-on-eof, läuft der Auftrag weiter: Ein Auftrag bei READY spiegelt weiter, bis ein Signal oder --complete-when-ready ihn beendet. Nach READY friert cancel SOURCE wie complete für eine letzte Kopie ein, sodass TARGET eine Kopie eines einzigen Zeitpunkts ist; cancel quick friert nicht ein, und bei einer SOURCE in Benutzung gleicht die Kopie dann einem Datenträger nach einem Stromausfall. SIGINT oder SIGTERM bricht ab. Das geschieht sofort wie bei cancel quick, ebenso bei SIGHUP und den anderen Signalen, die das Programm beenden würden.</translation>
    </message>
    <message>
        <source>SIZE and RATE: bytes, or a number with K, M, G, T (binary; KiB, MiB... too). A value that rounds down to 0, exponents (1e3), abbreviated and repeated options are refused.</source>
        <translation>SIZE und RATE: Bytes oder eine Zahl mit K, M, G, T (binär; auch KiB, MiB …). Ein Wert, der auf 0 abgerundet würde, Exponenten (1e3), abgekürzte und wiederholte Optionen werden abgelehnt.</translation>
    </message>
    <message>
        <source>--buf-size: at most 1G (memory for data in flight), not &apos;%1&apos;</source>
        <translation>--buf-size: höchstens 1G (Speicher für Daten in Bearbeitung), nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown option %1: options are not abbreviated (see --help)</source>
        <translation>unbekannte Option %1: Optionen werden nicht abgekürzt (siehe --help)</translation>
    </message>
    <message>
        <source>%1 given twice</source>
        <translation>%1 zweimal angegeben</translation>
    </message>
    <message>
        <source>complete: carried out when the job is READY</source>
        <translation>complete: wird ausgeführt, sobald der Auftrag READY ist</translation>
    </message>
    <message>
        <source>%1 bytes of %2 were not written (target errors ignored): the copy is not whole</source>
        <translation>%1 Bytes von %2 wurden nicht geschrieben (Zielfehler ignoriert): Die Kopie ist nicht vollständig</translation>
    </message>
    <message>
        <source>%1 bytes of %2 could not be read and were written as zeroes (source errors ignored): the copy is not whole</source>
        <translation>%1 Bytes von %2 konnten nicht gelesen werden und wurden als Nullen geschrieben (Quellfehler ignoriert): Die Kopie ist nicht vollständig</translation>
    </message>
    <message>
        <source>%1 was created by this job and never held a whole copy: removed</source>
        <translation>%1 wurde von diesem Auftrag erstellt und enthielt nie eine vollständige Kopie: entfernt</translation>
    </message>
    <message>
        <source>refuse a command the job cannot take at once instead of holding it until it can (for a program that follows the job&apos;s state itself)</source>
        <translation>einen Befehl, den der Auftrag nicht sofort annehmen kann, ablehnen, statt ihn zurückzuhalten, bis er es kann (für ein Programm, das den Zustand des Auftrags selbst verfolgt)</translation>
    </message>
    <message>
        <source>keep a target file the job created when it fails or is cancelled before READY (for a program that asks its user instead)</source>
        <translation>eine vom Auftrag erstellte Zieldatei behalten, wenn er fehlschlägt oder vor READY abgebrochen wird (für ein Programm, das stattdessen seinen Benutzer fragt)</translation>
    </message>
    <message>
        <source>Exit codes: 0 done as asked; 1 internal error; 2 bad input or refused by a safety rule (nothing written); 3 source failed; 4 target failed; 5 cancelled before READY (target incomplete); 6 verification found differences; 7 --complete-when-ready could not complete, because SOURCE could not be frozen for the final copy (long enough); TARGET is like a disk after a power cut; 8 completed, but --on-source-error or --on-target-error ignore left ranges zeroed or unwritten: the copy is not whole; 9 cancelled after READY: TARGET is a copy of one moment (consistent, or after cancel quick or a signal like a disk after a power cut); 10 completed, but the verification was cancelled: the copy is whole but not checked. A TARGET file the job created is removed again when the job fails or is cancelled before READY.</source>
        <translation>Exit-Codes: 0 wie verlangt erledigt; 1 interner Fehler; 2 ungültige Eingabe oder von einer Sicherheitsregel abgelehnt (nichts geschrieben); 3 Quelle fehlgeschlagen; 4 Ziel fehlgeschlagen; 5 vor READY abgebrochen (Ziel unvollständig); 6 Überprüfung hat Unterschiede gefunden; 7 --complete-when-ready konnte nicht abschließen, weil SOURCE für die letzte Kopie nicht (lange genug) eingefroren werden konnte; TARGET gleicht einem Datenträger nach einem Stromausfall; 8 abgeschlossen, aber --on-source-error oder --on-target-error ignore hat Bereiche mit Nullen gefüllt oder nicht geschrieben: Die Kopie ist nicht vollständig; 9 nach READY abgebrochen: TARGET ist eine Kopie eines Augenblicks (konsistent, oder nach cancel quick oder einem Signal wie ein Datenträger nach einem Stromausfall); 10 abgeschlossen, aber die Überprüfung wurde abgebrochen: Die Kopie ist vollständig, aber nicht geprüft. Eine TARGET-Datei, die der Auftrag erstellt hat, wird wieder entfernt, wenn der Auftrag vor READY fehlschlägt oder abgebrochen wird.</translation>
    </message>
    <message>
        <source>auto: while SOURCE&apos;s own programs use its disk, the copy gives way to them (fewer requests, a lower rate, the idle I/O class) and speeds up again when the disk is quiet; off: always full speed (default auto; a source nothing writes to is copied at full speed either way)</source>
        <translation>auto: Solange die Programme von SOURCE dessen Datenträger nutzen, lässt die Kopie ihnen den Vortritt (weniger Anfragen, eine geringere Rate, die Leerlauf-E/A-Klasse) und wird wieder schneller, sobald der Datenträger ruht; off: immer volle Geschwindigkeit (Standard auto; eine Quelle, in die nichts schreibt, wird ohnehin mit voller Geschwindigkeit kopiert)</translation>
    </message>
    <message>
        <source>--yield: auto or off, not &apos;%1&apos;</source>
        <translation>--yield: auto oder off, nicht „%1“</translation>
    </message>
    <message>
        <source>mirror takes at most %1 targets, not %2</source>
        <translation>mirror nimmt höchstens %1 Ziele, nicht %2</translation>
    </message>
    <message>
        <source>--expect-id: given %1 times for %2 targets; give it once per target, in the targets&apos; order</source>
        <translation>--expect-id: %1-mal angegeben für %2 Ziele; einmal je Ziel angeben, in der Reihenfolge der Ziele</translation>
    </message>
    <message>
        <source>--expect-id: given %1 times for one target</source>
        <translation>--expect-id: %1-mal angegeben für ein Ziel</translation>
    </message>
    <message>
        <source>with several TARGETs: drop a target that copies slower than RATE for 30 s while another keeps up (it ends as cancelled before READY)</source>
        <translation>bei mehreren TARGETs: ein Ziel aufgeben, das 30 s lang langsamer als RATE kopiert, während ein anderes mithält (es endet als vor READY abgebrochen)</translation>
    </message>
    <message>
        <source>With several TARGETs (up to 16) SOURCE is copied to all of them at once: each TARGET passes every rule before any is written, each has its own job and its own events (the JSON events&apos; device is the TARGET), SOURCE is read once for all that keep pace, and a slow or failing TARGET holds up no other. Commands and signals act on all; complete and --complete-when-ready freeze a live SOURCE once for all. Give --expect-id once per TARGET, in their order. Exit code 11: some TARGETs were copied and some not; when none was, the first TARGET&apos;s code.</source>
        <translation>Mit mehreren TARGETs (bis zu 16) wird SOURCE auf alle zugleich kopiert: jedes TARGET besteht jede Regel, bevor eines beschrieben wird, jedes hat seinen eigenen Auftrag und seine eigenen Ereignisse (device der JSON-Ereignisse ist das TARGET), SOURCE wird für alle, die Schritt halten, einmal gelesen, und ein langsames oder fehlerhaftes TARGET hält kein anderes auf. Befehle und Signale wirken auf alle; complete und --complete-when-ready frieren eine laufende SOURCE einmal für alle ein. --expect-id einmal je TARGET angeben, in ihrer Reihenfolge. Exit-Code 11: einige TARGETs wurden kopiert, andere nicht; wurde keines kopiert, der Code des ersten TARGETs.</translation>
    </message>
    <message>
        <source>%1 of %2 targets copied; the source was read %3 (%4 of it served to several targets from one read)</source>
        <translation>%1 von %2 Zielen kopiert; die Quelle wurde %3 gelesen (davon %4 aus einem Lesevorgang an mehrere Ziele geliefert)</translation>
    </message>
    <message>
        <source>%1 targets, %2 done, %3 failed; slowest %4:</source>
        <translation>%1 Ziele, %2 fertig, %3 fehlgeschlagen; am langsamsten %4:</translation>
    </message>
    <message>
        <source>station: %1 given twice</source>
        <translation>station: %1 doppelt angegeben</translation>
    </message>
    <message>
        <source>station: --exit-after takes a number of drives, at least 1, not %1</source>
        <translation>station: --exit-after nimmt eine Anzahl Laufwerke, mindestens 1, nicht %1</translation>
    </message>
    <message>
        <source>station: unknown option or missing value: %1 (see --help)</source>
        <translation>station: unbekannte Option oder fehlender Wert: %1 (siehe --help)</translation>
    </message>
    <message>
        <source>station needs --config FILE (see --help)</source>
        <translation>station braucht --config FILE (siehe --help)</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of %1 (%2)...</source>
        <translation>Berechne die SHA-256 von %1 (%2)...</translation>
    </message>
    <message>
        <source>hashing: %1</source>
        <translation>Hash: %1</translation>
    </message>
    <message>
        <source>Station %1 armed: %2 (%3, SHA-256 %4) to slots %5. Drives plugged in from now on are written; Ctrl+C stops.</source>
        <translation>Station %1 scharf: %2 (%3, SHA-256 %4) auf die Slots %5. Ab jetzt eingesteckte Laufwerke werden beschrieben; Strg+C hält an.</translation>
    </message>
    <message>
        <source>it is in no slot</source>
        <translation>es steckt in keinem Slot</translation>
    </message>
    <message>
        <source>it was there before the station was armed; plug it in again to write it</source>
        <translation>es war schon da, bevor die Station scharf geschaltet wurde; erneut einstecken, um es zu beschreiben</translation>
    </message>
    <message>
        <source>the station is not armed</source>
        <translation>die Station ist nicht scharf geschaltet</translation>
    </message>
    <message>
        <source>%1 (%2) left alone: %3</source>
        <translation>%1 (%2) nicht angerührt: %3</translation>
    </message>
    <message>
        <source>%1: %2 (%3) left alone: %4</source>
        <translation>%1: %2 (%3) nicht angerührt: %4</translation>
    </message>
    <message>
        <source>%1: writing %2 (%3, %4)</source>
        <translation>%1: schreibe %2 (%3, %4)</translation>
    </message>
    <message>
        <source>%1: writing %2 (%3, %4, serial %5)</source>
        <translation>%1: schreibe %2 (%3, %4, Seriennummer %5)</translation>
    </message>
    <message>
        <source>%1 verifying %2 %3</source>
        <translation>%1 prüft %2 %3</translation>
    </message>
    <message>
        <source>%1: %2 passed in %3 (%4); after: %5</source>
        <translation>%1: %2 bestanden in %3 (%4); danach: %5</translation>
    </message>
    <message>
        <source>%1: %2 REFUSED (%3): %4</source>
        <translation>%1: %2 ABGELEHNT (%3): %4</translation>
    </message>
    <message>
        <source>%1: %2 FAILED: %3; after: %4</source>
        <translation>%1: %2 FEHLGESCHLAGEN: %3; danach: %4</translation>
    </message>
    <message>
        <source>%1: %2 FAILED: %3 (%4); after: %5</source>
        <translation>%1: %2 FEHLGESCHLAGEN: %3 (%4); danach: %5</translation>
    </message>
    <message numerus="yes">
        <source>Station stopped (%1): %n drive(s) finished, %2 passed.</source>
        <translation>
            <numerusform>Station angehalten (%1): %n Laufwerk fertig, %2 bestanden.</numerusform>
            <numerusform>Station angehalten (%1): %n Laufwerke fertig, %2 bestanden.</numerusform>
        </translation>
    </message>
    <message>
        <source>--drop-below: only with several targets</source>
        <translation>--drop-below: nur mit mehreren Zielen</translation>
    </message>
    <message>
        <source>--overwrite: %1 is not one of the targets</source>
        <translation>--overwrite: %1 ist keines der Ziele</translation>
    </message>
    <message>
        <source>stdin: unknown command (the station takes only disarm): %1</source>
        <translation>stdin: unbekannter Befehl (die Station nimmt nur disarm an): %1</translation>
    </message>
    <message>
        <source>stopping the station (%1)</source>
        <translation>die Station wird angehalten (%1)</translation>
    </message>
    <message>
        <source>as --force for this one of the TARGETs alone, named as given (repeat it for each target whose data may be overwritten)</source>
        <translation>wie --force, aber nur für dieses eine der TARGETs, benannt wie angegeben (für jedes Ziel wiederholen, dessen Daten überschrieben werden dürfen)</translation>
    </message>
    <message>
        <source>station runs an imaging station: it hashes the image named in FILE (JSON, see the README), then clones it onto every drive that is plugged into one of FILE&apos;s slots from then on, several at once, verifies each by reading it back, appends one record a drive to the audit log and ejects the drive. Drives that were there before, that are in no slot, in several, mounted, too small or larger than max-size are never written. SIGINT and SIGTERM stop it and cancel the copies under way; with --disarm-on-eof, so do the line disarm on stdin and the end of stdin (for a program that runs the station as root and cannot signal it); --exit-after N stops it once N drives have finished. Exit codes: 0 every drive passed; 1 the audit log could not be written; 2 a bad FILE or nothing to clone; 12 a drive was refused or failed.</source>
        <translation>station betreibt eine Kopierstation: sie berechnet den Hash des in FILE genannten Images (JSON, siehe README) und klont es dann auf jedes Laufwerk, das von da an in einen der Slots aus FILE gesteckt wird, mehrere zugleich, prüft jedes durch Zurücklesen, hängt je Laufwerk einen Eintrag an das Prüfprotokoll an und wirft das Laufwerk aus. Laufwerke, die schon vorher da waren, in keinem oder mehreren Slots stecken, eingehängt, zu klein oder größer als max-size sind, werden nie beschrieben. SIGINT und SIGTERM halten sie an und brechen laufende Kopien ab; mit --disarm-on-eof tun das auch die Zeile disarm auf stdin und das Ende von stdin (für ein Programm, das die Station als root ausführt und ihr kein Signal senden kann); --exit-after N hält sie an, sobald N Laufwerke fertig sind. Exit-Codes: 0 jedes Laufwerk bestanden; 1 das Prüfprotokoll konnte nicht geschrieben werden; 2 ein fehlerhaftes FILE oder nichts zu klonen; 12 ein Laufwerk wurde abgelehnt oder ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>--overwrite: a TARGET as given on the command line, not empty</source>
        <translation>--overwrite: ein TARGET, wie auf der Befehlszeile angegeben, nicht leer</translation>
    </message>
    <message>
        <source>source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>in sync:</source>
        <translation>synchron:</translation>
    </message>
    <message>
        <source>%1 of %2 (%3)</source>
        <translation>%1 von %2 (%3)</translation>
    </message>
    <message>
        <source>granularity:</source>
        <translation>Granularität:</translation>
    </message>
    <message>
        <source>sync:</source>
        <translation>Sync:</translation>
    </message>
    <message>
        <source>saved:</source>
        <translation>gespeichert:</translation>
    </message>
    <message>
        <source>%1 (%2 ago)</source>
        <translation>%1 (vor %2)</translation>
    </message>
    <message>
        <source>unreadable:</source>
        <translation>unlesbar:</translation>
    </message>
    <message>
        <source>%1 read as zeroes</source>
        <translation>%1 als Nullen gelesen</translation>
    </message>
    <message>
        <source>to go on:</source>
        <translation>zum Fortsetzen:</translation>
    </message>
    <message>
        <source>%1 needs a value</source>
        <translation>%1 braucht einen Wert</translation>
    </message>
    <message>
        <source>%1: a value, not empty</source>
        <translation>%1: ein Wert, nicht leer</translation>
    </message>
    <message>
        <source>no interrupted job %1 in %2 (see `jobs`)</source>
        <translation>kein unterbrochener Auftrag %1 in %2 (siehe `jobs`)</translation>
    </message>
    <message>
        <source>jobs --discard: no interrupted job %1 in %2 (see `jobs`)</source>
        <translation>jobs --discard: kein unterbrochener Auftrag %1 in %2 (siehe `jobs`)</translation>
    </message>
    <message>
        <source>jobs --discard: %1</source>
        <translation>jobs --discard: %1</translation>
    </message>
    <message>
        <source>discarded %1</source>
        <translation>%1 verworfen</translation>
    </message>
    <message>
        <source>jobs: %1</source>
        <translation>jobs: %1</translation>
    </message>
    <message>
        <source>jobs: unknown argument %1 (see --help)</source>
        <translation>jobs: unbekanntes Argument %1 (siehe --help)</translation>
    </message>
    <message>
        <source>no interrupted jobs in %1</source>
        <translation>keine unterbrochenen Aufträge in %1</translation>
    </message>
    <message>
        <source>map needs a sub-command: export ID (see --help)</source>
        <translation>map braucht einen Unterbefehl: export ID (siehe --help)</translation>
    </message>
    <message>
        <source>map: unknown sub-command %1 (see --help)</source>
        <translation>map: unbekannter Unterbefehl %1 (siehe --help)</translation>
    </message>
    <message>
        <source>map export: %1</source>
        <translation>map export: %1</translation>
    </message>
    <message>
        <source>map export: unknown option %1 (see --help)</source>
        <translation>map export: unbekannte Option %1 (siehe --help)</translation>
    </message>
    <message>
        <source>map export takes one job id</source>
        <translation>map export nimmt genau eine Auftrags-ID</translation>
    </message>
    <message>
        <source>map export needs a job id, as `jobs` lists them</source>
        <translation>map export braucht eine Auftrags-ID, wie `jobs` sie auflistet</translation>
    </message>
    <message>
        <source>map export: cannot write the map: %1</source>
        <translation>map export: Die Karte kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>map export: cannot create %1: %2</source>
        <translation>map export: %1 kann nicht erstellt werden: %2</translation>
    </message>
    <message>
        <source>map export: cannot write %1: %2</source>
        <translation>map export: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>--resume and --no-checkpoints exclude each other</source>
        <translation>--resume und --no-checkpoints schließen einander aus</translation>
    </message>
    <message>
        <source>where the job keeps its checkpoints (default $DRIVEMIRROR_STATE_DIR, else /var/lib/drivemirror for root, $XDG_STATE_HOME/drivemirror or ~/.local/state/drivemirror for a user)</source>
        <translation>wo der Auftrag seine Checkpoints ablegt (Standard: $DRIVEMIRROR_STATE_DIR, sonst /var/lib/drivemirror für root, $XDG_STATE_HOME/drivemirror oder ~/.local/state/drivemirror für einen Benutzer)</translation>
    </message>
    <message>
        <source>go on from the checkpoint an interrupted job of SOURCE to TARGET left in the state directory, instead of copying everything again (rule: resume mismatch when there is none or it is another job&apos;s)</source>
        <translation>vom Checkpoint fortsetzen, den ein unterbrochener Auftrag von SOURCE nach TARGET im Statusverzeichnis hinterlassen hat, statt alles erneut zu kopieren (Regel: resume mismatch, wenn es keinen gibt oder er zu einem anderen Auftrag gehört)</translation>
    </message>
    <message>
        <source>keep no checkpoint: an interrupted job starts again from zero</source>
        <translation>keinen Checkpoint anlegen: Ein unterbrochener Auftrag beginnt wieder von vorn</translation>
    </message>
    <message>
        <source>commit a checkpoint every SECONDS seconds (default 5, from 0.1 to 3600)</source>
        <translation>alle SECONDS Sekunden einen Checkpoint schreiben (Standard: 5, von 0.1 bis 3600)</translation>
    </message>
    <message>
        <source>--state-dir: a directory, not empty</source>
        <translation>--state-dir: ein Verzeichnis, nicht leer</translation>
    </message>
    <message>
        <source>--checkpoint-interval: seconds from 0.1 to 3600, not &apos;%1&apos;</source>
        <translation>--checkpoint-interval: Sekunden von 0.1 bis 3600, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the copy can go on from where it stopped: run the same command with --resume (checkpoint %1)</source>
        <translation>die Kopie kann dort fortgesetzt werden, wo sie aufgehört hat: denselben Befehl mit --resume ausführen (Checkpoint %1)</translation>
    </message>
    <message>
        <source>A job killed, or ended by a signal or a failing disk, keeps its last checkpoint, and its TARGET stays (also a file the job created); one you cancel or that completes does not. mirror ... --resume trusts the checkpoint as it is only when SOURCE is offline and provably unchanged since (an image with the same inode, size and change times; a disk in the same boot with the same write counters); otherwise it reads SOURCE once, compares it with hashes of what TARGET got, and copies again what differs. jobs lists the interrupted jobs of a state directory, newest first, with the command that goes on; jobs --discard ID removes one&apos;s files (not its TARGET). map export ID writes a job&apos;s map as a GNU ddrescue mapfile (to FILE, or stdout): what is in sync is finished, the rest non-tried, what SOURCE could not be read bad.</source>
        <translation>Ein Auftrag, der beendet wurde (kill, ein Signal oder ein ausfallender Datenträger), behält seinen letzten Checkpoint, und sein TARGET bleibt erhalten (auch eine Datei, die der Auftrag erstellt hat); einer, den Sie abbrechen oder der abgeschlossen wird, nicht. mirror ... --resume vertraut dem Checkpoint unverändert nur, wenn SOURCE offline und nachweislich seitdem unverändert ist (ein Image mit derselben Inode, Größe und Änderungszeiten; ein Datenträger im selben Systemstart mit denselben Schreibzählern); andernfalls liest es SOURCE einmal, vergleicht es mit Hashes dessen, was TARGET erhalten hat, und kopiert erneut, was abweicht. jobs listet die unterbrochenen Aufträge eines Statusverzeichnisses auf, die neuesten zuerst, mit dem Befehl zum Fortsetzen; jobs --discard ID entfernt dessen Dateien (nicht sein TARGET). map export ID schreibt die Karte eines Auftrags als GNU-ddrescue-Mapfile (nach FILE oder auf stdout): Synchrones gilt als fertig (finished), der Rest als nicht versucht (non-tried), was aus SOURCE nicht gelesen werden konnte, als defekt (bad).</translation>
    </message>
    <message>
        <source>state:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>running now (in another process)</source>
        <translation>läuft gerade (in einem anderen Prozess)</translation>
    </message>
    <message>
        <source>jobs --discard: %1 is running now; cancel it first</source>
        <translation>jobs --discard: %1 läuft gerade; zuerst abbrechen</translation>
    </message>
    <message>
        <source>serve: one image or disk, not also %1</source>
        <translation>serve: ein Abbild oder eine Platte, nicht auch %1</translation>
    </message>
    <message>
        <source>serve: %1 given twice</source>
        <translation>serve: %1 doppelt angegeben</translation>
    </message>
    <message>
        <source>serve: unknown option or missing value: %1 (see --help)</source>
        <translation>serve: unbekannte Option oder fehlender Wert: %1 (siehe --help)</translation>
    </message>
    <message>
        <source>serve needs an image or disk to export (see --help)</source>
        <translation>serve braucht ein Abbild oder eine Platte zum Freigeben (siehe --help)</translation>
    </message>
    <message>
        <source>serve: --overwrite %1 is not the disk served (%2)</source>
        <translation>serve: --overwrite %1 ist nicht die freigegebene Platte (%2)</translation>
    </message>
    <message>
        <source>serve: --overwrite with --read-only: nothing is written</source>
        <translation>serve: --overwrite mit --read-only: es wird nichts geschrieben</translation>
    </message>
    <message>
        <source>serve: --export %1: a name without /, ? or #</source>
        <translation>serve: --export %1: ein Name ohne /, ? oder #</translation>
    </message>
    <message>
        <source>serving %1 (%2) read-only; Ctrl-C stops it</source>
        <translation>%1 (%2) wird schreibgeschützt freigegeben; Strg-C beendet es</translation>
    </message>
    <message>
        <source>serving %1 (%2) writable; Ctrl-C stops it</source>
        <translation>%1 (%2) wird beschreibbar freigegeben; Strg-C beendet es</translation>
    </message>
    <message>
        <source>refusing to serve %1 writable over TCP without TLS: anyone who reaches port %2 could overwrite it (add --tls-psk FILE, or --insecure on a network you trust)</source>
        <translation>%1 wird nicht beschreibbar über TCP ohne TLS freigegeben: Jeder, der Port %2 erreicht, könnte sie überschreiben (--tls-psk DATEI angeben, oder --insecure in einem vertrauenswürdigen Netz)</translation>
    </message>
    <message>
        <source>serve %1 ended: %2</source>
        <translation>Freigabe von %1 beendet: %2</translation>
    </message>
    <message>
        <source>serve exports PATH (an image or a disk) over NBD, for a client on another machine (qemu-img, nbdcopy, a virtual machine), through qemu-nbd, until SIGINT or SIGTERM. It prints the URI to connect to: by default a unix socket in the runtime directory; --listen tcp:0.0.0.0:10809 serves the network. --read-only applies a source&apos;s rules and refuses writes; otherwise a target&apos;s: not mounted, not in use, not the system disk, and a disk holding data only with --overwrite PATH. --tls-psk FILE (USERNAME:HEXKEY lines, as psktool writes them) requires TLS; writable over TCP without it is refused unless --insecure. The export is named after PATH&apos;s last component unless --export NAME. Exit codes: 0 stopped by a signal; 1 qemu-nbd ended by itself; 2 refused, nothing served.</source>
        <translation>serve gibt PATH (ein Abbild oder eine Platte) über NBD frei, für einen Client auf einem anderen Rechner (qemu-img, nbdcopy, eine virtuelle Maschine), mittels qemu-nbd, bis SIGINT oder SIGTERM. Es gibt die URI zum Verbinden aus: standardmäßig ein Unix-Socket im Laufzeitverzeichnis; --listen tcp:0.0.0.0:10809 gibt ins Netz frei. --read-only wendet die Regeln einer Quelle an und weist Schreibzugriffe ab; sonst die eines Ziels: nicht eingehängt, nicht in Benutzung, nicht die Systemplatte, und eine Platte mit Daten nur mit --overwrite PATH. --tls-psk DATEI (Zeilen BENUTZER:HEXSCHLÜSSEL, wie psktool sie schreibt) verlangt TLS; beschreibbar über TCP ohne TLS wird abgewiesen, außer mit --insecure. Die Freigabe heißt wie der letzte Teil von PATH, außer mit --export NAME. Exit-Codes: 0 durch ein Signal beendet; 1 qemu-nbd hat sich selbst beendet; 2 abgewiesen, nichts freigegeben.</translation>
    </message>
    <message>
        <source>SOURCE and TARGET can be NBD exports: nbd://HOST[:PORT]/EXPORT, nbd+unix:///EXPORT?socket=PATH, or nbds:// and nbds+unix:// with TLS (nbds://USER@HOST/EXPORT?tls-psk-file=FILE). A TARGET export must exist and be at least as large as SOURCE; a read-only one is refused, and one whose first or last megabyte holds data only with --overwrite URI. A bad URI, an unreachable server or a wrong key: exit code 2, nothing written.</source>
        <translation>SOURCE und TARGET können NBD-Exporte sein: nbd://HOST[:PORT]/EXPORT, nbd+unix:///EXPORT?socket=PFAD, oder nbds:// und nbds+unix:// mit TLS (nbds://BENUTZER@HOST/EXPORT?tls-psk-file=DATEI). Ein Export als TARGET muss existieren und mindestens so groß wie SOURCE sein; ein schreibgeschützter wird abgelehnt, und einer, dessen erstes oder letztes Megabyte Daten enthält, nur mit --overwrite URI angenommen. Eine fehlerhafte URI, ein unerreichbarer Server oder ein falscher Schlüssel: Exit-Code 2, nichts geschrieben.</translation>
    </message>
    <message>
        <source>%1: raw, qcow2, vmdk, vhdx or vdi, not &apos;%2&apos;</source>
        <translation>%1: raw, qcow2, vmdk, vhdx oder vdi, nicht &apos;%2&apos;</translation>
    </message>
    <message>
        <source>TARGET&apos;s image format: raw, qcow2, vmdk, vhdx or vdi (default: by TARGET&apos;s extension, .qcow2 .vmdk .vhdx .vdi; raw for any other name)</source>
        <translation>Image-Format von TARGET: raw, qcow2, vmdk, vhdx oder vdi (Standard: nach der Endung von TARGET, .qcow2 .vmdk .vhdx .vdi; raw bei jedem anderen Namen)</translation>
    </message>
    <message>
        <source>the same for SOURCE</source>
        <translation>dasselbe für SOURCE</translation>
    </message>
    <message>
        <source>a new qcow2 TARGET reads what the job does not write from FILE (default: none; with --sync top from a qcow2 that has one, SOURCE&apos;s backing file)</source>
        <translation>ein neues qcow2-TARGET liest, was der Auftrag nicht schreibt, aus FILE (Standard: keine; mit --sync top von einem qcow2, das eine hat, die Basisdatei von SOURCE)</translation>
    </message>
    <message>
        <source>write a new qcow2 TARGET compressed; refused for a live SOURCE, whose changes would rewrite compressed clusters</source>
        <translation>ein neues qcow2-TARGET komprimiert schreiben; abgelehnt für eine laufende SOURCE, deren Änderungen komprimierte Cluster neu schreiben würden</translation>
    </message>
    <message>
        <source>Image formats: a SOURCE or TARGET named .qcow2, .vmdk, .vhdx or .vdi (or given --format / --source-format) is its virtual disk, read and written through a qemu-nbd of the job&apos;s own on a private socket; the file must carry that format (rule: image format mismatch). A new one is made with qemu-img create, the size of SOURCE. --sync top from a qcow2 copies its top layer alone (qemu:allocation-depth), and a new qcow2 TARGET gets SOURCE&apos;s backing file. An image that a virtual machine has open is refused: QEMU&apos;s locks.</source>
        <translation>Image-Formate: eine SOURCE oder ein TARGET mit dem Namen .qcow2, .vmdk, .vhdx oder .vdi (oder mit --format / --source-format angegeben) ist seine virtuelle Platte, gelesen und geschrieben über ein eigenes qemu-nbd des Auftrags an einem privaten Socket; die Datei muss dieses Format tragen (rule: image format mismatch). Ein neues wird mit qemu-img create angelegt, so groß wie SOURCE. --sync top von einem qcow2 kopiert nur seine oberste Schicht (qemu:allocation-depth), und ein neues qcow2-TARGET erhält die Basisdatei von SOURCE. Ein Image, das eine virtuelle Maschine geöffnet hat, wird abgelehnt: QEMUs Sperren.</translation>
    </message>
    <message>
        <source>--backing: an image file, not empty</source>
        <translation>--backing: eine Image-Datei, nicht leer</translation>
    </message>
    <message>
        <source>how long to wait for an NBD export whose connection was lost: the job connects again and copies on, and what the server had not flushed is copied again (default 60, 0 = fail at once; --resume goes on after longer outages)</source>
        <translation>wie lange auf einen NBD-Export gewartet wird, dessen Verbindung verloren ging: Der Auftrag verbindet sich erneut und kopiert weiter, und was der Server noch nicht festgeschrieben (flush) hatte, wird erneut kopiert (Standard: 60, 0 = sofort fehlschlagen; nach längeren Ausfällen setzt --resume fort)</translation>
    </message>
    <message>
        <source>--reconnect-timeout: whole seconds from 0 to 86400, not &apos;%1&apos;</source>
        <translation>--reconnect-timeout: ganze Sekunden von 0 bis 86400, nicht &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Clone disks and image files and keep the copy in sync while the source is in use.</source>
        <translation>Datenträger und Image-Dateien klonen und die Kopie synchron halten, während die Quelle in Benutzung ist.</translation>
    </message>
    <message>
        <source>Mirror a demo image that a writer keeps changing.</source>
        <translation>Ein Demo-Image spiegeln, das fortlaufend beschrieben wird.</translation>
    </message>
    <message>
        <source>Where the demo images go (default: the cache).</source>
        <translation>Ablageort der Demo-Images (Standard: der Cache).</translation>
    </message>
    <message>
        <source>Size of the demo source image (default: 1G).</source>
        <translation>Größe des Demo-Quell-Images (Standard: 1G).</translation>
    </message>
    <message>
        <source>With --demo: start the mirror at once.</source>
        <translation>Mit --demo: die Spiegelung sofort starten.</translation>
    </message>
    <message>
        <source>With --demo: complete this many seconds after READY.</source>
        <translation>Mit --demo: so viele Sekunden nach READY abschließen.</translation>
    </message>
    <message>
        <source>With --demo: quit this many seconds after the job ended (exit code 0 when it completed identical).</source>
        <translation>Mit --demo: so viele Sekunden nach Ende des Auftrags beenden (Exit-Code 0, wenn er identisch abgeschlossen wurde).</translation>
    </message>
    <message>
        <source>With --demo: save the window as PNG while in sync.</source>
        <translation>Mit --demo: das Fenster im synchronen Zustand als PNG speichern.</translation>
    </message>
    <message>
        <source>When to take the screenshot: &quot;ready&quot; (default, before --autocomplete) or &quot;copying&quot; (the first copy half done).</source>
        <translation>Zeitpunkt des Bildschirmfotos: &quot;ready&quot; (Standard, vor --autocomplete) oder &quot;copying&quot; (erste Kopie zur Hälfte erledigt).</translation>
    </message>
    <message>
        <source>Show debug messages in the log.</source>
        <translation>Debug-Meldungen im Protokoll anzeigen.</translation>
    </message>
    <message>
        <source>Demo Not Available</source>
        <translation>Demo nicht verfügbar</translation>
    </message>
    <message>
        <source>The demo images could not be created.</source>
        <translation>Die Demo-Images konnten nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Open the imaging station&apos;s window for this config file instead of the main window.</source>
        <translation>Statt des Hauptfensters das Fenster der Kopierstation für diese Konfigurationsdatei öffnen.</translation>
    </message>
</context>
<context>
    <name>ui::ConfirmStartDialog</name>
    <message>
        <source>Create Target and Start?</source>
        <translation>Ziel erstellen und starten?</translation>
    </message>
    <message>
        <source>Overwrite Target?</source>
        <translation>Ziel überschreiben?</translation>
    </message>
    <message>
        <source>A new image file will be created and kept in sync with the source:</source>
        <translation>Eine neue Image-Datei wird erstellt und mit der Quelle synchron gehalten:</translation>
    </message>
    <message>
        <source>Everything on this target will be overwritten:</source>
        <translation>Alles auf diesem Ziel wird überschrieben:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Bytes)</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Pfad:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Art:</translation>
    </message>
    <message>
        <source>partitions %1</source>
        <translation>Partitionen %1</translation>
    </message>
    <message>
        <source>one partition, listed below</source>
        <translation>eine Partition, unten aufgeführt</translation>
    </message>
    <message>
        <source>%1 partitions, listed below</source>
        <translation>%1 Partitionen, unten aufgeführt</translation>
    </message>
    <message>
        <source>a %1 file system</source>
        <translation>ein %1-Dateisystem</translation>
    </message>
    <message>
        <source>no partition table or file system found</source>
        <translation>keine Partitionstabelle und kein Dateisystem gefunden</translation>
    </message>
    <message>
        <source>unknown (its first sectors could not be read)</source>
        <translation>unbekannt (die ersten Sektoren konnten nicht gelesen werden)</translation>
    </message>
    <message>
        <source>Holds:</source>
        <translation>Enthält:</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Bezeichnung:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Partitions that will be overwritten</source>
        <translation>Partitionen, die überschrieben werden</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>File system</source>
        <translation>Dateisystem</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Mounted at</source>
        <translation>Eingehängt in</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>keine gefunden</translation>
    </message>
    <message>
        <source>This device holds data that will be lost. To confirm, type its name &lt;b&gt;%1&lt;/b&gt;:</source>
        <translation>Dieses Gerät enthält Daten, die verloren gehen. Geben Sie zur Bestätigung seinen Namen &lt;b&gt;%1&lt;/b&gt; ein:</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Create and Start</source>
        <translation>Erstellen und starten</translation>
    </message>
    <message>
        <source>Overwrite and Start</source>
        <translation>Überschreiben und starten</translation>
    </message>
    <message>
        <source>This target will be overwritten up to the source&apos;s size:</source>
        <translation>Dieses Ziel wird bis zur Größe der Quelle überschrieben:</translation>
    </message>
    <message>
        <source>Past the source&apos;s end:</source>
        <translation>Hinter dem Ende der Quelle:</translation>
    </message>
    <message>
        <source>%1 of the target lie past the source&apos;s end. They will be cleared, so nothing of the old data stays there.</source>
        <translation>%1 des Ziels liegen hinter dem Ende der Quelle. Sie werden geleert, sodass dort nichts von den alten Daten bleibt.</translation>
    </message>
    <message>
        <source>%1 of the target lie past the source&apos;s end. They are kept as they are and not compared: the old data there stays readable. To clear them, check “Clear the target past the source&apos;s end” in the settings.</source>
        <translation>%1 des Ziels liegen hinter dem Ende der Quelle. Sie bleiben unverändert und werden nicht verglichen: Die alten Daten dort bleiben lesbar. Um sie zu leeren, aktivieren Sie in den Einstellungen „Ziel hinter dem Ende der Quelle leeren“.</translation>
    </message>
    <message>
        <source>Type the name &lt;b&gt;%1&lt;/b&gt; to overwrite this device, or press Esc to keep it.</source>
        <translation>Geben Sie den Namen &lt;b&gt;%1&lt;/b&gt; ein, um dieses Gerät zu überschreiben, oder drücken Sie Esc, um es zu behalten.</translation>
    </message>
    <message>
        <source>“%1” is not the name of this device: type &lt;b&gt;%2&lt;/b&gt; exactly to overwrite it, or press Esc to keep it.</source>
        <translation>„%1“ ist nicht der Name dieses Geräts: Geben Sie genau &lt;b&gt;%2&lt;/b&gt; ein, um es zu überschreiben, oder drücken Sie Esc, um es zu behalten.</translation>
    </message>
    <message>
        <source>Resume the Interrupted Copy?</source>
        <translation>Unterbrochene Kopie fortsetzen?</translation>
    </message>
    <message>
        <source>Resume Copy</source>
        <translation>Kopie fortsetzen</translation>
    </message>
    <message>
        <source>The interrupted copy to this target will be resumed: what it lacks, and what changed on the source since, will be overwritten:</source>
        <translation>Die unterbrochene Kopie auf dieses Ziel wird fortgesetzt: Was ihm fehlt und was sich seitdem auf der Quelle geändert hat, wird überschrieben:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>URI:</source>
        <translation>URI:</translation>
    </message>
    <message>
        <source>This export holds data that will be lost. To confirm, type its name &lt;b&gt;%1&lt;/b&gt;:</source>
        <translation>Dieser Export enthält Daten, die verloren gehen. Geben Sie zur Bestätigung seinen Namen &lt;b&gt;%1&lt;/b&gt; ein:</translation>
    </message>
    <message>
        <source>Export name</source>
        <translation>Exportname</translation>
    </message>
    <message>
        <source>Type the name &lt;b&gt;%1&lt;/b&gt; to overwrite this export, or press Esc to keep it.</source>
        <translation>Geben Sie den Namen &lt;b&gt;%1&lt;/b&gt; ein, um diesen Export zu überschreiben, oder drücken Sie Esc, um ihn zu behalten.</translation>
    </message>
    <message>
        <source>“%1” is not the name of this export: type &lt;b&gt;%2&lt;/b&gt; exactly to overwrite it, or press Esc to keep it.</source>
        <translation>„%1“ ist nicht der Name dieses Exports: Geben Sie genau &lt;b&gt;%2&lt;/b&gt; ein, um ihn zu überschreiben, oder drücken Sie Esc, um ihn zu behalten.</translation>
    </message>
</context>
<context>
    <name>ui::DemoDriver</name>
    <message>
        <source>Preparing the demo images…</source>
        <translation>Demo-Images werden vorbereitet…</translation>
    </message>
</context>
<context>
    <name>ui::DeviceFilterModel</name>
    <message>
        <source>Cannot be the source: %1
(%2)

%3</source>
        <translation>Kann nicht die Quelle sein: %1
(%2)

%3</translation>
    </message>
    <message>
        <source>Cannot be the target: %1
(%2)

%3</source>
        <translation>Kann nicht das Ziel sein: %1
(%2)

%3</translation>
    </message>
    <message>
        <source>Live source: while it is mirrored, writes to it are tracked; Complete freezes %1 for a moment for the final copy.

%2</source>
        <translation>Live-Quelle: Während der Spiegelung werden Schreibzugriffe verfolgt; „Abschließen“ friert %1 für die letzte Kopie kurz ein.

%2</translation>
    </message>
    <message>
        <source>Live · %1</source>
        <translation>Live · %1</translation>
    </message>
</context>
<context>
    <name>ui::DeviceListModel</name>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>MBR</source>
        <translation>MBR</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Festplatte</translation>
    </message>
    <message>
        <source>SSD</source>
        <translation>SSD</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>SD card</source>
        <translation>SD-Karte</translation>
    </message>
    <message>
        <source>Virtual</source>
        <translation>Virtuell</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Loop</translation>
    </message>
    <message>
        <source>New image</source>
        <translation>Neues Image</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Mounted at %1</source>
        <translation>Eingehängt in %1</translation>
    </message>
    <message>
        <source>Mounted at %1 (+%2)</source>
        <translation>Eingehängt in %1 (+%2)</translation>
    </message>
    <message>
        <source>Partition mounted at %1</source>
        <translation>Partition eingehängt in %1</translation>
    </message>
    <message>
        <source>Partitions mounted at %1 (+%2)</source>
        <translation>Partitionen eingehängt in %1 (+%2)</translation>
    </message>
    <message>
        <source>In use as swap</source>
        <translation>Als Swap in Benutzung</translation>
    </message>
    <message>
        <source>In use by %1</source>
        <translation>In Benutzung durch %1</translation>
    </message>
    <message>
        <source>Created at start</source>
        <translation>Wird beim Start erstellt</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Not mounted</source>
        <translation>Nicht eingehängt</translation>
    </message>
    <message>
        <source>Not mounted · %1</source>
        <translation>Nicht eingehängt · %1</translation>
    </message>
    <message>
        <source>%1 (as source)</source>
        <translation>%1 (wie die Quelle)</translation>
    </message>
    <message>
        <source>As source</source>
        <translation>Wie die Quelle</translation>
    </message>
    <message>
        <source>Serial: %1</source>
        <translation>Seriennummer: %1</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Bytes)</translation>
    </message>
    <message>
        <source>Kind: %1</source>
        <translation>Art: %1</translation>
    </message>
    <message>
        <source>Holds: %1</source>
        <translation>Enthält: %1</translation>
    </message>
    <message>
        <source>Partitions: %1</source>
        <translation>Partitionen: %1</translation>
    </message>
    <message>
        <source>Mounted at: %1</source>
        <translation>Eingehängt in: %1</translation>
    </message>
    <message>
        <source>Held by: %1</source>
        <translation>Belegt durch: %1</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Schreibgeschützt</translation>
    </message>
    <message>
        <source>Identity: %1</source>
        <translation>Kennung: %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>Keine Verbindung</translation>
    </message>
    <message>
        <source>Writable</source>
        <translation>Beschreibbar</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>diesem Rechner</translation>
    </message>
    <message>
        <source>NBD export on %1, TLS</source>
        <translation>NBD-Export auf %1, TLS</translation>
    </message>
    <message>
        <source>NBD export on %1</source>
        <translation>NBD-Export auf %1</translation>
    </message>
    <message>
        <source>Connecting to its server…</source>
        <translation>Verbindung zum Server wird hergestellt…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Keine Verbindung: %1</translation>
    </message>
</context>
<context>
    <name>ui::DevicePane</name>
    <message>
        <source>Add Image…</source>
        <translation>Image hinzufügen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>&lt;b&gt;Source&lt;/b&gt;: what is copied</source>
        <translation>&lt;b&gt;Quelle&lt;/b&gt;: was kopiert wird</translation>
    </message>
    <message>
        <source>&lt;b&gt;Target&lt;/b&gt;: what is overwritten</source>
        <translation>&lt;b&gt;Ziel&lt;/b&gt;: was überschrieben wird</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Add image files to mirror from (you can also drop files here).</source>
        <translation>Image-Dateien als Quelle der Spiegelung hinzufügen (Dateien können auch hier abgelegt werden).</translation>
    </message>
    <message>
        <source>Add existing image files to overwrite (you can also drop files here).</source>
        <translation>Vorhandene Image-Dateien zum Überschreiben hinzufügen (Dateien können auch hier abgelegt werden).</translation>
    </message>
    <message>
        <source>Read the list of disks again.</source>
        <translation>Die Liste der Datenträger neu einlesen.</translation>
    </message>
    <message>
        <source>New Image File…</source>
        <translation>Neue Image-Datei…</translation>
    </message>
    <message>
        <source>Create a new sparse image file of the source&apos;s size as target.</source>
        <translation>Eine neue Sparse-Image-Datei in der Größe der Quelle als Ziel erstellen.</translation>
    </message>
    <message>
        <source>Add Source Image Files</source>
        <translation>Quell-Image-Dateien hinzufügen</translation>
    </message>
    <message>
        <source>Add Target Image Files</source>
        <translation>Ziel-Image-Dateien hinzufügen</translation>
    </message>
    <message>
        <source>Disk images (*.img *.raw *.iso *.bin *.dd)</source>
        <translation>Datenträger-Images (*.img *.raw *.iso *.bin *.dd)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>New Image File</source>
        <translation>Neue Image-Datei</translation>
    </message>
    <message>
        <source>Disk images (*.img)</source>
        <translation>Datenträger-Images (*.img)</translation>
    </message>
    <message>
        <source>Add NBD Export…</source>
        <translation>NBD-Export hinzufügen…</translation>
    </message>
    <message>
        <source>Add an export of an NBD server (nbd://, nbd+unix://, nbds://) as a target: a disk or image on another machine.</source>
        <translation>Einen Export eines NBD-Servers (nbd://, nbd+unix://, nbds://) als Ziel hinzufügen: ein Datenträger oder Image auf einem anderen Rechner.</translation>
    </message>
    <message>
        <source>Add an export of an NBD server (nbd://, nbd+unix://, nbds://) to mirror from: a disk or image on another machine.</source>
        <translation>Einen Export eines NBD-Servers (nbd://, nbd+unix://, nbds://) als Quelle hinzufügen: ein Datenträger oder Image auf einem anderen Rechner.</translation>
    </message>
</context>
<context>
    <name>ui::DirtyMapLegend</name>
    <message>
        <source>In sync</source>
        <translation>Synchron</translation>
    </message>
    <message>
        <source>Source and target agree in this range.</source>
        <translation>Quelle und Ziel stimmen in diesem Bereich überein.</translation>
    </message>
    <message>
        <source>To copy</source>
        <translation>Zu kopieren</translation>
    </message>
    <message>
        <source>darker = more</source>
        <translation>dunkler = mehr</translation>
    </message>
    <message>
        <source>Part of this range still has to be copied; the darker, the more.</source>
        <translation>Ein Teil dieses Bereichs muss noch kopiert werden; je dunkler, desto mehr.</translation>
    </message>
    <message>
        <source>Being copied</source>
        <translation>Wird kopiert</translation>
    </message>
    <message>
        <source>A copy request for this range is in flight.</source>
        <translation>Für diesen Bereich läuft gerade eine Kopieranforderung.</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>Unlesbar</translation>
    </message>
    <message>
        <source>The source could not be read here; zeroes were written instead.</source>
        <translation>Die Quelle konnte hier nicht gelesen werden; stattdessen wurden Nullen geschrieben.</translation>
    </message>
    <message>
        <source>%1 cells of %2 each over %3; copied in granules of %4.</source>
        <translation>%1 Zellen zu je %2 über %3; kopiert in Granulen zu %4.</translation>
    </message>
</context>
<context>
    <name>ui::DirtyMapWidget</name>
    <message>
        <source>The dirty map appears when a mirror starts.</source>
        <translation>Die Änderungskarte erscheint, sobald eine Spiegelung startet.</translation>
    </message>
    <message>
        <source>In sync</source>
        <translation>Synchron</translation>
    </message>
    <message>
        <source>All to copy</source>
        <translation>Alles zu kopieren</translation>
    </message>
    <message>
        <source>%1 to copy</source>
        <translation>%1 zu kopieren</translation>
    </message>
    <message>
        <source>Being copied</source>
        <translation>Wird kopiert</translation>
    </message>
    <message>
        <source>Contains unreadable sectors (copied as zeroes)</source>
        <translation>Enthält unlesbare Sektoren (als Nullen kopiert)</translation>
    </message>
    <message>
        <source>%1 – %2 (%3)
Bytes %4 to %5
%6</source>
        <translation>%1 – %2 (%3)
Bytes %4 bis %5
%6</translation>
    </message>
</context>
<context>
    <name>ui::ErrorText</name>
    <message>
        <source>The source and the target are the same storage.</source>
        <translation>Quelle und Ziel sind derselbe Speicher.</translation>
    </message>
    <message>
        <source>Choose a different target.</source>
        <translation>Wählen Sie ein anderes Ziel.</translation>
    </message>
    <message>
        <source>The target and the source are parts of the same disk.</source>
        <translation>Ziel und Quelle liegen auf demselben Datenträger.</translation>
    </message>
    <message>
        <source>Choose a target on another disk.</source>
        <translation>Wählen Sie ein Ziel auf einem anderen Datenträger.</translation>
    </message>
    <message>
        <source>The target holds the file system of the running system.</source>
        <translation>Das Ziel enthält das Dateisystem des laufenden Systems.</translation>
    </message>
    <message>
        <source>Choose another disk. The running system cannot be overwritten.</source>
        <translation>Wählen Sie einen anderen Datenträger. Das laufende System kann nicht überschrieben werden.</translation>
    </message>
    <message>
        <source>The target (or one of its partitions) is mounted.</source>
        <translation>Das Ziel (oder eine seiner Partitionen) ist eingehängt.</translation>
    </message>
    <message>
        <source>Unmount all its file systems first, then try again.</source>
        <translation>Hängen Sie zuerst alle seine Dateisysteme aus und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The target is in use by the system (swap, LVM, RAID, encryption or another program).</source>
        <translation>Das Ziel wird vom System verwendet (Swap, LVM, RAID, Verschlüsselung oder ein anderes Programm).</translation>
    </message>
    <message>
        <source>Stop using it (for example swapoff, deactivate the volume group or close the program), then try again.</source>
        <translation>Beenden Sie die Verwendung (z. B. swapoff, Volume Group deaktivieren oder das Programm schließen) und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The target is read-only.</source>
        <translation>Das Ziel ist schreibgeschützt.</translation>
    </message>
    <message>
        <source>Choose another target, or make this one writable if you are sure it may be overwritten.</source>
        <translation>Wählen Sie ein anderes Ziel oder machen Sie dieses beschreibbar, wenn Sie sicher sind, dass es überschrieben werden darf.</translation>
    </message>
    <message>
        <source>The target is smaller than the source.</source>
        <translation>Das Ziel ist kleiner als die Quelle.</translation>
    </message>
    <message>
        <source>Choose a target that is at least as large as the source.</source>
        <translation>Wählen Sie ein Ziel, das mindestens so groß wie die Quelle ist.</translation>
    </message>
    <message>
        <source>Start again and type the device name to confirm, or choose another target.</source>
        <translation>Starten Sie erneut und geben Sie zur Bestätigung den Gerätenamen ein, oder wählen Sie ein anderes Ziel.</translation>
    </message>
    <message>
        <source>The target is no longer the disk you chose: it was removed, replaced or renamed since.</source>
        <translation>Das Ziel ist nicht mehr der gewählte Datenträger: Er wurde inzwischen entfernt, ersetzt oder umbenannt.</translation>
    </message>
    <message>
        <source>Check which disk is connected, then choose the target again.</source>
        <translation>Prüfen Sie, welcher Datenträger angeschlossen ist, und wählen Sie das Ziel dann erneut.</translation>
    </message>
    <message>
        <source>Disks and partitions can only be used with administrator rights.</source>
        <translation>Datenträger und Partitionen können nur mit Administratorrechten verwendet werden.</translation>
    </message>
    <message>
        <source>You do not have permission for this file or folder.</source>
        <translation>Sie haben keine Berechtigung für diese Datei oder diesen Ordner.</translation>
    </message>
    <message>
        <source>Choose a location you may write to, or change the permissions.</source>
        <translation>Wählen Sie einen Ort, an dem Sie schreiben dürfen, oder ändern Sie die Berechtigungen.</translation>
    </message>
    <message>
        <source>The file or device does not exist (any more).</source>
        <translation>Die Datei oder das Gerät existiert nicht (mehr).</translation>
    </message>
    <message>
        <source>Refresh the lists and choose again.</source>
        <translation>Aktualisieren Sie die Listen und wählen Sie erneut.</translation>
    </message>
    <message>
        <source>Access was denied.</source>
        <translation>Der Zugriff wurde verweigert.</translation>
    </message>
    <message>
        <source>Check the permissions, or start DriveMirror as administrator for block devices.</source>
        <translation>Prüfen Sie die Berechtigungen oder starten Sie DriveMirror für Blockgeräte als Administrator.</translation>
    </message>
    <message>
        <source>The device is busy: it is mounted or used by another program.</source>
        <translation>Das Gerät ist belegt: Es ist eingehängt oder wird von einem anderen Programm verwendet.</translation>
    </message>
    <message>
        <source>Unmount it or close the program that uses it, then try again.</source>
        <translation>Hängen Sie es aus oder schließen Sie das Programm, das es verwendet, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The target cannot be written: it is read-only.</source>
        <translation>Das Ziel kann nicht beschrieben werden: Es ist schreibgeschützt.</translation>
    </message>
    <message>
        <source>Choose a writable target.</source>
        <translation>Wählen Sie ein beschreibbares Ziel.</translation>
    </message>
    <message>
        <source>There is not enough space.</source>
        <translation>Es ist nicht genügend Speicherplatz vorhanden.</translation>
    </message>
    <message>
        <source>Free space on the target&apos;s file system, or choose a larger target.</source>
        <translation>Geben Sie Speicherplatz auf dem Dateisystem des Ziels frei oder wählen Sie ein größeres Ziel.</translation>
    </message>
    <message>
        <source>A read or write failed with an input/output error: the disk or its connection may be failing.</source>
        <translation>Ein Lese- oder Schreibvorgang ist mit einem Ein-/Ausgabefehler fehlgeschlagen: Der Datenträger oder seine Verbindung ist möglicherweise defekt.</translation>
    </message>
    <message>
        <source>Check the cable and the disk&apos;s health. To rescue what can be read, set the source error policy to &quot;Ignore&quot; and start again.</source>
        <translation>Prüfen Sie das Kabel und den Zustand des Datenträgers. Um zu retten, was lesbar ist, setzen Sie die Fehlerbehandlung der Quelle auf „Ignorieren“ und starten Sie erneut.</translation>
    </message>
    <message>
        <source>A setting or the chosen storage is not valid for this job.</source>
        <translation>Eine Einstellung oder der gewählte Speicher ist für diesen Auftrag ungültig.</translation>
    </message>
    <message>
        <source>Check the job settings (granularity, buffer size) and the chosen source and target.</source>
        <translation>Prüfen Sie die Auftragseinstellungen (Granularität, Puffergröße) sowie die gewählte Quelle und das Ziel.</translation>
    </message>
    <message>
        <source>There is not enough memory for the copy buffers.</source>
        <translation>Es ist nicht genügend Arbeitsspeicher für die Kopierpuffer vorhanden.</translation>
    </message>
    <message>
        <source>Choose a smaller buffer size.</source>
        <translation>Wählen Sie eine kleinere Puffergröße.</translation>
    </message>
    <message>
        <source>The kernel lacks a feature the copy needs (io_uring).</source>
        <translation>Dem Kernel fehlt eine für das Kopieren nötige Funktion (io_uring).</translation>
    </message>
    <message>
        <source>Use a kernel with io_uring enabled (Linux 5.6 or later).</source>
        <translation>Verwenden Sie einen Kernel mit aktiviertem io_uring (Linux 5.6 oder neuer).</translation>
    </message>
    <message>
        <source>The operation failed.</source>
        <translation>Der Vorgang ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>See the details and the log for more information.</source>
        <translation>Weitere Informationen finden Sie in den Details und im Protokoll.</translation>
    </message>
    <message>
        <source>Install pkexec so that DriveMirror can ask for administrator rights, or mirror image files instead.</source>
        <translation>Installieren Sie pkexec, damit DriveMirror nach Administratorrechten fragen kann, oder spiegeln Sie stattdessen Image-Dateien.</translation>
    </message>
    <message>
        <source>Administrator authentication was cancelled or refused, so the disks could not be opened.</source>
        <translation>Die Authentifizierung als Administrator wurde abgebrochen oder verweigert, daher konnten die Datenträger nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Start again and authenticate as an administrator when asked, or mirror image files instead.</source>
        <translation>Starten Sie erneut und authentifizieren Sie sich als Administrator, wenn Sie dazu aufgefordert werden, oder spiegeln Sie stattdessen Image-Dateien.</translation>
    </message>
    <message>
        <source>The target file is no longer the one you confirmed: another program replaced, truncated, moved or created it since.</source>
        <translation>Die Zieldatei ist nicht mehr die, die Sie bestätigt haben: Ein anderes Programm hat sie inzwischen ersetzt, gekürzt, verschoben oder erstellt.</translation>
    </message>
    <message>
        <source>Check what else writes to that folder, then choose the target again.</source>
        <translation>Prüfen Sie, was sonst noch in diesen Ordner schreibt, und wählen Sie das Ziel dann erneut.</translation>
    </message>
    <message>
        <source>The target holds data (a partition table, a file system or partitions, or a start that cannot be read), and overwriting it was not confirmed.</source>
        <translation>Das Ziel enthält Daten (eine Partitionstabelle, ein Dateisystem oder Partitionen, oder einen Anfang, der nicht gelesen werden kann), und das Überschreiben wurde nicht bestätigt.</translation>
    </message>
    <message>
        <source>With administrator rights, DriveMirror reads and writes image files only as you: you may not use this file or create one in this folder yourself.</source>
        <translation>Mit Administratorrechten liest und schreibt DriveMirror Image-Dateien nur so, wie Sie es selbst dürften: Sie dürfen diese Datei nicht verwenden oder in diesem Ordner keine anlegen.</translation>
    </message>
    <message>
        <source>Choose an image file, or a folder for the new one, that is yours.</source>
        <translation>Wählen Sie eine Image-Datei oder einen Ordner für die neue Datei, die Ihnen gehören.</translation>
    </message>
    <message>
        <source>The path leads through a symbolic link that belongs to another user, who could point it at any disk.</source>
        <translation>Der Pfad führt über einen symbolischen Link, der einem anderen Benutzer gehört, der ihn auf einen beliebigen Datenträger zeigen lassen könnte.</translation>
    </message>
    <message>
        <source>Choose the file or disk itself, not the link.</source>
        <translation>Wählen Sie die Datei oder den Datenträger selbst, nicht den Link.</translation>
    </message>
    <message>
        <source>A file system on the source is frozen already, by another program or by a run that was stopped, so the final copy could never freeze it.</source>
        <translation>Ein Dateisystem der Quelle ist bereits eingefroren, von einem anderen Programm oder einem abgebrochenen Lauf, daher könnte die letzte Kopie es nie einfrieren.</translation>
    </message>
    <message>
        <source>Thaw it with the fsfreeze -u command named in the details, then start again.</source>
        <translation>Geben Sie es mit dem in den Details genannten Befehl fsfreeze -u wieder frei und starten Sie dann erneut.</translation>
    </message>
    <message>
        <source>This job needs no administrator rights, so the helper with those rights does not run it.</source>
        <translation>Dieser Auftrag braucht keine Administratorrechte, daher führt ihn das Hilfsprogramm mit diesen Rechten nicht aus.</translation>
    </message>
    <message>
        <source>Start it without administrator rights.</source>
        <translation>Starten Sie ihn ohne Administratorrechte.</translation>
    </message>
    <message>
        <source>The NBD server could not be reached, or it did not answer or closed the connection.</source>
        <translation>Der NBD-Server war nicht erreichbar, hat nicht geantwortet oder hat die Verbindung geschlossen.</translation>
    </message>
    <message>
        <source>Check the URI, that the server runs and that this machine can reach it (and the TLS key, for nbds://), then try again.</source>
        <translation>Prüfen Sie die URI, ob der Server läuft und ob dieser Rechner ihn erreicht (bei nbds:// auch den TLS-Schlüssel), und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The NBD export&apos;s server has not answered yet.</source>
        <translation>Der Server des NBD-Exports hat noch nicht geantwortet.</translation>
    </message>
    <message>
        <source>Wait a moment: the list shows the export&apos;s size once its server answers.</source>
        <translation>Warten Sie einen Moment: Die Liste zeigt die Größe des Exports, sobald sein Server antwortet.</translation>
    </message>
</context>
<context>
    <name>ui::Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>Vorbereitung</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Ready: in sync</source>
        <translation>Bereit: synchron</translation>
    </message>
    <message>
        <source>Paused while in sync</source>
        <translation>Pausiert im synchronen Zustand</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Wird abgeschlossen</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Wird angehalten</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>a GPT partition table</source>
        <translation>eine GPT-Partitionstabelle</translation>
    </message>
    <message>
        <source>a partition table (MBR)</source>
        <translation>eine Partitionstabelle (MBR)</translation>
    </message>
    <message>
        <source>an ext2/3/4 file system</source>
        <translation>ein ext2/3/4-Dateisystem</translation>
    </message>
    <message>
        <source>an NTFS file system</source>
        <translation>ein NTFS-Dateisystem</translation>
    </message>
    <message>
        <source>a FAT file system</source>
        <translation>ein FAT-Dateisystem</translation>
    </message>
    <message>
        <source>an XFS file system</source>
        <translation>ein XFS-Dateisystem</translation>
    </message>
    <message>
        <source>a swap area</source>
        <translation>ein Swap-Bereich</translation>
    </message>
    <message>
        <source>an LVM physical volume</source>
        <translation>ein LVM Physical Volume</translation>
    </message>
    <message>
        <source>a LUKS encrypted volume</source>
        <translation>ein LUKS-verschlüsseltes Volume</translation>
    </message>
    <message>
        <source>a Btrfs file system</source>
        <translation>ein Btrfs-Dateisystem</translation>
    </message>
    <message>
        <source>an F2FS file system</source>
        <translation>ein F2FS-Dateisystem</translation>
    </message>
    <message>
        <source>an exFAT file system</source>
        <translation>ein exFAT-Dateisystem</translation>
    </message>
    <message>
        <source>a SquashFS file system</source>
        <translation>ein SquashFS-Dateisystem</translation>
    </message>
    <message>
        <source>an ISO 9660 file system</source>
        <translation>ein ISO-9660-Dateisystem</translation>
    </message>
    <message>
        <source>a UDF file system</source>
        <translation>ein UDF-Dateisystem</translation>
    </message>
    <message>
        <source>a Linux RAID member</source>
        <translation>ein Linux-RAID-Mitglied</translation>
    </message>
    <message>
        <source>a ZFS pool member</source>
        <translation>ein Mitglied eines ZFS-Pools</translation>
    </message>
    <message>
        <source>a bcache device</source>
        <translation>ein bcache-Gerät</translation>
    </message>
    <message>
        <source>a partition table (%1)</source>
        <translation>eine Partitionstabelle (%1)</translation>
    </message>
    <message>
        <source>a RAID or volume manager member (%1)</source>
        <translation>ein Mitglied eines RAID oder Volume-Managers (%1)</translation>
    </message>
    <message>
        <source>an encrypted volume (%1)</source>
        <translation>ein verschlüsseltes Volume (%1)</translation>
    </message>
    <message>
        <source>a %1 file system</source>
        <translation>ein %1-Dateisystem</translation>
    </message>
    <message>
        <source>a %1 signature</source>
        <translation>eine %1-Signatur</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>measuring the disk&apos;s other I/O alone</source>
        <translation>misst die übrige E/A des Datenträgers allein</translation>
    </message>
    <message>
        <source>giving way to other I/O on the disk: %1 of full speed</source>
        <translation>lässt der übrigen E/A des Datenträgers den Vortritt: %1 der vollen Geschwindigkeit</translation>
    </message>
    <message>
        <source>raise the speed limit</source>
        <translation>die Geschwindigkeitsbegrenzung erhöhen</translation>
    </message>
    <message>
        <source>stop giving way to other I/O</source>
        <translation>der übrigen E/A nicht mehr den Vortritt lassen</translation>
    </message>
    <message>
        <source>choose a finer granularity</source>
        <translation>eine feinere Granularität wählen</translation>
    </message>
    <message>
        <source>complete now with a freeze of about %1</source>
        <translation>jetzt abschließen, mit einem Einfrieren von etwa %1</translation>
    </message>
    <message>
        <source>will not converge at this rate: the source dirties %1, the copy manages %2</source>
        <translation>holt bei dieser Rate nicht auf: Die Quelle ändert %1, die Kopie schafft %2</translation>
    </message>
    <message>
        <source>%1; what helps: %2</source>
        <translation>%1; was hilft: %2</translation>
    </message>
    <message>
        <source>Complete freezes about %1</source>
        <translation>Abschließen friert etwa %1 ein</translation>
    </message>
    <message>
        <source>in sync in about %1</source>
        <translation>synchron in etwa %1</translation>
    </message>
    <message>
        <source>%1, then %2</source>
        <translation>%1, dann %2</translation>
    </message>
    <message>
        <source>connection to %1 lost %2 ago: connecting again (attempt %3, gives up after %4)</source>
        <translation>Verbindung zu %1 vor %2 verloren: verbindet erneut (Versuch %3, gibt nach %4 auf)</translation>
    </message>
</context>
<context>
    <name>ui::JobController</name>
    <message>
        <source>A job is already running.</source>
        <translation>Es läuft bereits ein Auftrag.</translation>
    </message>
    <message>
        <source>The job has not started yet.</source>
        <translation>Der Auftrag wurde noch nicht gestartet.</translation>
    </message>
</context>
<context>
    <name>ui::JobSettingsWidget</name>
    <message>
        <source>Copies the whole source, then keeps the target in sync.</source>
        <translation>Kopiert die gesamte Quelle und hält das Ziel danach synchron.</translation>
    </message>
    <message>
        <source>Copies only what the source has allocated; holes stay untouched on the target.</source>
        <translation>Kopiert nur die belegten Bereiche der Quelle; Lücken bleiben auf dem Ziel unverändert.</translation>
    </message>
    <message>
        <source>Copies nothing up front, only what is written to the source from now on.</source>
        <translation>Kopiert vorab nichts, nur was ab jetzt auf die Quelle geschrieben wird.</translation>
    </message>
    <message>
        <source>Limit to</source>
        <translation>Begrenzen auf</translation>
    </message>
    <message>
        <source>Discard zero ranges on the target (keeps it sparse)</source>
        <translation>Nullbereiche auf dem Ziel verwerfen (bleibt Sparse)</translation>
    </message>
    <message>
        <source>Verify the copy after completion</source>
        <translation>Kopie nach dem Abschließen überprüfen</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Vollständig</translation>
    </message>
    <message>
        <source>Allocated data only (top)</source>
        <translation>Nur belegte Daten (top)</translation>
    </message>
    <message>
        <source>New writes only (none)</source>
        <translation>Nur neue Schreibvorgänge (none)</translation>
    </message>
    <message>
        <source>Automatic (%1, or the target&apos;s block size)</source>
        <translation>Automatisch (%1 oder die Blockgröße des Ziels)</translation>
    </message>
    <message>
        <source>The unit of dirty tracking: a write anywhere in a granule copies the whole granule again. Smaller granules copy less after small writes but need more memory.</source>
        <translation>Die Einheit der Änderungsverfolgung: Ein Schreibzugriff irgendwo in einer Granule kopiert die ganze Granule erneut. Kleinere Granulen kopieren nach kleinen Schreibzugriffen weniger, benötigen aber mehr Arbeitsspeicher.</translation>
    </message>
    <message>
        <source>&amp;Granularity:</source>
        <translation>&amp;Granularität:</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/s</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/s</translation>
    </message>
    <message>
        <source>GiB/s</source>
        <translation>GiB/s</translation>
    </message>
    <message>
        <source>Unchecked: as fast as the disks allow. Changes apply at once, also to a running job.</source>
        <translation>Nicht aktiviert: so schnell, wie die Datenträger es erlauben. Änderungen gelten sofort, auch für einen laufenden Auftrag.</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>Geschwindigkeits&amp;begrenzung:</translation>
    </message>
    <message>
        <source>Memory for data in flight, split into up to 16 requests.</source>
        <translation>Arbeitsspeicher für Daten in Übertragung, aufgeteilt auf bis zu 16 Anforderungen.</translation>
    </message>
    <message>
        <source>&amp;Buffer:</source>
        <translation>P&amp;uffer:</translation>
    </message>
    <message>
        <source>On &amp;write error:</source>
        <translation>Bei Sch&amp;reibfehler:</translation>
    </message>
    <message>
        <source>Ranges that read as zeroes are discarded on the target instead of written, so an image stays sparse and an SSD learns they are free.</source>
        <translation>Bereiche, die als Nullen gelesen werden, werden auf dem Ziel verworfen statt geschrieben; so bleibt ein Image sparse und eine SSD erfährt, dass sie frei sind.</translation>
    </message>
    <message>
        <source>Report (stop the job)</source>
        <translation>Melden (Auftrag anhalten)</translation>
    </message>
    <message>
        <source>The job fails at the first error.</source>
        <translation>Der Auftrag schlägt beim ersten Fehler fehl.</translation>
    </message>
    <message>
        <source>Ignore (skip and continue)</source>
        <translation>Ignorieren (überspringen und fortfahren)</translation>
    </message>
    <message>
        <source>Skip the failed range, record it and go on. On the source, what cannot be read is written as zeroes.</source>
        <translation>Den fehlerhaften Bereich überspringen, protokollieren und fortfahren. Was auf der Quelle nicht gelesen werden kann, wird als Nullen geschrieben.</translation>
    </message>
    <message>
        <source>Pause (retry on resume)</source>
        <translation>Pausieren (beim Fortsetzen wiederholen)</translation>
    </message>
    <message>
        <source>Pause the job; Resume retries the failed range.</source>
        <translation>Den Auftrag pausieren; „Fortsetzen“ wiederholt den fehlerhaften Bereich.</translation>
    </message>
    <message>
        <source>Pause when full, else report</source>
        <translation>Bei vollem Ziel pausieren, sonst melden</translation>
    </message>
    <message>
        <source>Pause when the target runs out of space, fail otherwise.</source>
        <translation>Pausieren, wenn auf dem Ziel kein Platz mehr ist, sonst fehlschlagen.</translation>
    </message>
    <message>
        <source>S&amp;ync mode:</source>
        <translation>Sync-&amp;Modus:</translation>
    </message>
    <message>
        <source>On read &amp;error:</source>
        <translation>Bei &amp;Lesefehler:</translation>
    </message>
    <message>
        <source>Clear the target past the source&apos;s end</source>
        <translation>Ziel hinter dem Ende der Quelle leeren</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>The longest time Complete, or Cancel once in sync, may freeze the source&apos;s mounted file systems for the final copy; writes to them wait meanwhile. A final copy that takes longer is abandoned: the source runs on, the job keeps mirroring and you can try again.</source>
        <translation>Die längste Zeit, die „Abschließen“ oder, im synchronen Zustand, „Abbrechen“ die eingehängten Dateisysteme der Quelle für die letzte Kopie einfrieren darf; Schreibzugriffe darauf warten so lange. Dauert die letzte Kopie länger, wird sie aufgegeben: Die Quelle läuft weiter, der Auftrag spiegelt weiter und Sie können es erneut versuchen.</translation>
    </message>
    <message>
        <source>Maximum free&amp;ze:</source>
        <translation>Maximale Einfrier&amp;zeit:</translation>
    </message>
    <message>
        <source>For a target larger than the source: make everything past the source&apos;s end read as zeroes, so none of the target&apos;s old data stays there. Unchecked, those bytes are kept as they are and are not compared.</source>
        <translation>Für ein Ziel, das größer als die Quelle ist: Alles hinter dem Ende der Quelle wird als Nullen gelesen, sodass nichts von den alten Daten des Ziels dort bleibt. Nicht aktiviert: Diese Bytes bleiben unverändert und werden nicht verglichen.</translation>
    </message>
    <message>
        <source>After the final copy, once the source runs again, compare the target with the source; where the source changed since, check the target against what the job wrote.</source>
        <translation>Nach der letzten Kopie, sobald die Quelle weiterläuft, das Ziel mit der Quelle vergleichen; wo sich die Quelle seitdem geändert hat, das Ziel mit dem abgleichen, was der Auftrag geschrieben hat.</translation>
    </message>
    <message>
        <source>Give way to programs using the source disk</source>
        <translation>Programmen auf dem Quelldatenträger den Vortritt lassen</translation>
    </message>
    <message>
        <source>While programs on the source&apos;s computer read and write its disk, the copy slows down so that they stay responsive, and speeds up again when the disk is quiet. A source nothing writes to is copied at full speed either way.</source>
        <translation>Solange Programme auf dem Rechner der Quelle deren Datenträger lesen und schreiben, wird die Kopie langsamer, damit sie flüssig bleiben, und wieder schneller, sobald der Datenträger ruht. Eine Quelle, in die nichts schreibt, wird ohnehin mit voller Geschwindigkeit kopiert.</translation>
    </message>
    <message>
        <source>fail at once</source>
        <translation>sofort fehlschlagen</translation>
    </message>
    <message>
        <source>When the connection to an NBD export is lost, for example because its server restarts, the job connects again for up to this long and then copies on; what the server had not yet flushed is copied again. 0: the job stops at once and can be resumed later.</source>
        <translation>Geht die Verbindung zu einem NBD-Export verloren, etwa weil dessen Server neu startet, versucht der Auftrag bis zu dieser Dauer, sich erneut zu verbinden, und kopiert dann weiter; was der Server noch nicht festgeschrieben (flush) hatte, wird erneut kopiert. 0: Der Auftrag stoppt sofort und kann später fortgesetzt werden.</translation>
    </message>
    <message>
        <source>Reco&amp;nnect for up to:</source>
        <translation>&amp;Neu verbinden bis zu:</translation>
    </message>
</context>
<context>
    <name>ui::LogView</name>
    <message>
        <source>Save Log…</source>
        <translation>Protokoll speichern…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Messages from the mirror appear here.</source>
        <translation>Meldungen der Spiegelung erscheinen hier.</translation>
    </message>
    <message>
        <source>debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation>Protokoll speichern</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Protokolldateien (*.log *.txt)</translation>
    </message>
    <message>
        <source>Log Not Saved</source>
        <translation>Protokoll nicht gespeichert</translation>
    </message>
    <message>
        <source>The log could not be saved to %1.</source>
        <translation>Das Protokoll konnte nicht in %1 gespeichert werden.</translation>
    </message>
    <message>
        <source>Choose another location and try again.</source>
        <translation>Wählen Sie einen anderen Ort und versuchen Sie es erneut.</translation>
    </message>
</context>
<context>
    <name>ui::MainWindow</name>
    <message>
        <source>DriveMirror</source>
        <translation>DriveMirror</translation>
    </message>
    <message>
        <source>Cannot Add %1</source>
        <translation>%1 kann nicht hinzugefügt werden</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Start mirroring the source to the target</source>
        <translation>Spiegelung der Quelle auf das Ziel starten</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>Pause copying; writes to the source are still tracked</source>
        <translation>Kopieren pausieren; Schreibzugriffe auf die Quelle werden weiter verfolgt</translation>
    </message>
    <message>
        <source>C&amp;omplete</source>
        <translation>&amp;Abschließen</translation>
    </message>
    <message>
        <source>Finish with a target identical to the source (only when in sync)</source>
        <translation>Mit einem zur Quelle identischen Ziel abschließen (nur im synchronen Zustand)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Abbre&amp;chen</translation>
    </message>
    <message>
        <source>Stop the mirror</source>
        <translation>Spiegelung beenden</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Refresh Disks</source>
        <translation>Datenträger &amp;aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Mirror</source>
        <translation>Spi&amp;egelung</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About DriveMirror</source>
        <translation>&amp;Über DriveMirror</translation>
    </message>
    <message>
        <source>About DriveMirror</source>
        <translation>Über DriveMirror</translation>
    </message>
    <message>
        <source>&lt;b&gt;DriveMirror %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;DriveMirror %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Clones disks and image files and keeps the copy in sync while the source is in use, until you complete (an identical copy) or cancel (a consistent copy).</source>
        <translation>Klont Datenträger und Image-Dateien und hält die Kopie synchron, während die Quelle in Benutzung ist – bis Sie abschließen (identische Kopie) oder abbrechen (konsistente Kopie).</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Dirty Map</source>
        <translation>Änderungskarte</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Cannot Start the Mirror</source>
        <translation>Spiegelung kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Continue copying</source>
        <translation>Kopieren fortsetzen</translation>
    </message>
    <message>
        <source>Complete freezes %1 for a moment: writes to it wait until the final copy is done, then continue.</source>
        <translation>„Abschließen“ friert %1 kurz ein: Schreibzugriffe darauf warten, bis die letzte Kopie fertig ist, und laufen dann weiter.</translation>
    </message>
    <message>
        <source>Finish with a target identical to the source (only when in sync). Freezes %1 for a moment for the final copy.</source>
        <translation>Mit einem zur Quelle identischen Ziel abschließen (nur im synchronen Zustand). Friert %1 für die letzte Kopie kurz ein.</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 und %2 weitere</translation>
    </message>
    <message>
        <source>&lt;b&gt;Live:&lt;/b&gt; writes are tracked; Complete freezes %1 for a moment.</source>
        <translation>&lt;b&gt;Live:&lt;/b&gt; Schreibzugriffe werden verfolgt; „Abschließen“ friert %1 kurz ein.</translation>
    </message>
    <message>
        <source>Checking the target…</source>
        <translation>Ziel wird geprüft…</translation>
    </message>
    <message>
        <source>Cannot Use This Target</source>
        <translation>Dieses Ziel kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Vorbereitung…</translation>
    </message>
    <message>
        <source>Preparing the mirror…</source>
        <translation>Spiegelung wird vorbereitet…</translation>
    </message>
    <message>
        <source>Completing.</source>
        <translation>Wird abgeschlossen.</translation>
    </message>
    <message>
        <source>The source is quiesced for the final copy.</source>
        <translation>Die Quelle wird für die letzte Kopie ruhiggestellt.</translation>
    </message>
    <message>
        <source>The target is not in sync yet: it holds only part of the source and is not usable as a copy.</source>
        <translation>Das Ziel ist noch nicht synchron: Es enthält nur einen Teil der Quelle und ist als Kopie nicht verwendbar.</translation>
    </message>
    <message>
        <source>Cancel the Mirror?</source>
        <translation>Spiegelung abbrechen?</translation>
    </message>
    <message>
        <source>Stop mirroring?</source>
        <translation>Spiegelung beenden?</translation>
    </message>
    <message>
        <source>Cancel the mirror before it is in sync?</source>
        <translation>Spiegelung abbrechen, bevor sie synchron ist?</translation>
    </message>
    <message>
        <source>Cancel Mirror</source>
        <translation>Spiegelung abbrechen</translation>
    </message>
    <message>
        <source>Keep Mirroring</source>
        <translation>Weiter spiegeln</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>In sync.</source>
        <translation>Synchron.</translation>
    </message>
    <message>
        <source>The target matches the source and follows every new write. Press Complete for an identical copy, or Cancel to stop with a consistent copy.</source>
        <translation>Das Ziel stimmt mit der Quelle überein und folgt jedem neuen Schreibzugriff. Klicken Sie auf „Abschließen“ für eine identische Kopie oder auf „Abbrechen“, um mit einer konsistenten Kopie aufzuhören.</translation>
    </message>
    <message>
        <source>DriveMirror: in sync</source>
        <translation>DriveMirror: synchron</translation>
    </message>
    <message>
        <source>%1 is in sync with %2. Complete the mirror when you are ready.</source>
        <translation>%1 ist synchron mit %2. Schließen Sie die Spiegelung ab, wenn Sie bereit sind.</translation>
    </message>
    <message>
        <source>The dirty map appears when a mirror starts.</source>
        <translation>Die Änderungskarte erscheint, sobald eine Spiegelung startet.</translation>
    </message>
    <message>
        <source>Completed, but different.</source>
        <translation>Abgeschlossen, aber unterschiedlich.</translation>
    </message>
    <message>
        <source>Verification found differences between source and target. Do not rely on this copy; see the log.</source>
        <translation>Die Überprüfung hat Unterschiede zwischen Quelle und Ziel gefunden. Verlassen Sie sich nicht auf diese Kopie; siehe Protokoll.</translation>
    </message>
    <message>
        <source>Verification Failed</source>
        <translation>Überprüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>The copy is not identical to the source.</source>
        <translation>Die Kopie ist nicht identisch mit der Quelle.</translation>
    </message>
    <message>
        <source>Check the disks and start the mirror again.</source>
        <translation>Prüfen Sie die Datenträger und starten Sie die Spiegelung erneut.</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy (%3).</source>
        <translation>%1 ist zum Zeitpunkt der letzten Kopie identisch mit %2 (%3).</translation>
    </message>
    <message>
        <source>Freeze window: %1 was frozen for %2 s.</source>
        <translation>Einfrierzeit: %1 war %2 s lang eingefroren.</translation>
    </message>
    <message>
        <source>Writes were tracked; nothing was mounted from the source, so nothing had to be frozen.</source>
        <translation>Schreibzugriffe wurden verfolgt; von der Quelle war nichts eingehängt, daher musste nichts eingefroren werden.</translation>
    </message>
    <message>
        <source>Completed.</source>
        <translation>Abgeschlossen.</translation>
    </message>
    <message>
        <source>DriveMirror: completed</source>
        <translation>DriveMirror: abgeschlossen</translation>
    </message>
    <message>
        <source>The mirror to %1 is complete.</source>
        <translation>Die Spiegelung auf %1 ist abgeschlossen.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Cancelled before in sync.</source>
        <translation>Vor der Synchronität abgebrochen.</translation>
    </message>
    <message>
        <source>%1 is incomplete and not usable as a copy.</source>
        <translation>%1 ist unvollständig und als Kopie nicht verwendbar.</translation>
    </message>
    <message>
        <source>Failed reading the source.</source>
        <translation>Lesen der Quelle fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Failed writing the target.</source>
        <translation>Schreiben des Ziels fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The Mirror Failed</source>
        <translation>Die Spiegelung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>DriveMirror: failed</source>
        <translation>DriveMirror: fehlgeschlagen</translation>
    </message>
    <message>
        <source>Close DriveMirror?</source>
        <translation>DriveMirror schließen?</translation>
    </message>
    <message>
        <source>A mirror is running. Closing cancels it.</source>
        <translation>Eine Spiegelung läuft. Beim Schließen wird sie abgebrochen.</translation>
    </message>
    <message>
        <source>Cancel Mirror and Close</source>
        <translation>Spiegelung abbrechen und schließen</translation>
    </message>
    <message>
        <source>Keep Running</source>
        <translation>Weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Cancelling, then closing…</source>
        <translation>Wird abgebrochen, dann geschlossen…</translation>
    </message>
    <message>
        <source>DriveMirror (demo)</source>
        <translation>DriveMirror (Demo)</translation>
    </message>
    <message>
        <source>Running without administrator rights, and pkexec was not found: only image files can be mirrored; disks are listed greyed out. Install pkexec, or start DriveMirror as root, to use them.</source>
        <translation>Keine Administratorrechte und pkexec nicht gefunden: Nur Image-Dateien können gespiegelt werden; Datenträger werden ausgegraut angezeigt. Installieren Sie pkexec oder starten Sie DriveMirror als root, um sie zu verwenden.</translation>
    </message>
    <message>
        <source>The target %1 is gone or has changed.</source>
        <translation>Das Ziel %1 ist verschwunden oder hat sich geändert.</translation>
    </message>
    <message>
        <source>The source %1 is gone or has changed.</source>
        <translation>Die Quelle %1 ist verschwunden oder hat sich geändert.</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>Nicht gestartet.</translation>
    </message>
    <message>
        <source>Nothing was written. Choose the source and the target again, then press Start.</source>
        <translation>Es wurde nichts geschrieben. Wählen Sie Quelle und Ziel erneut und klicken Sie dann auf „Starten“.</translation>
    </message>
    <message>
        <source>%1 is frozen for the final copy, at most %2: writes to it wait, then continue. Then the target is compared with the source, which runs on meanwhile.</source>
        <translation>%1 ist für die letzte Kopie eingefroren, höchstens %2: Schreibzugriffe darauf warten und laufen dann weiter. Danach wird das Ziel mit der Quelle verglichen, die währenddessen weiterläuft.</translation>
    </message>
    <message>
        <source>%1 is frozen for the final copy, at most %2: writes to it wait, then continue.</source>
        <translation>%1 ist für die letzte Kopie eingefroren, höchstens %2: Schreibzugriffe darauf warten und laufen dann weiter.</translation>
    </message>
    <message>
        <source>The source is quiesced for the final copy, then the target is compared with it.</source>
        <translation>Die Quelle wird für die letzte Kopie ruhiggestellt, danach wird das Ziel mit ihr verglichen.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>The source is quiesced briefly for a final copy, as at Complete, so the target is a consistent copy of the source as of that moment; later writes to the source are not on it.</source>
        <translation>Die Quelle wird wie beim Abschließen kurz für eine letzte Kopie ruhiggestellt, sodass das Ziel eine konsistente Kopie der Quelle zu diesem Zeitpunkt ist; spätere Schreibzugriffe auf die Quelle sind nicht darauf.</translation>
    </message>
    <message>
        <source>%1 is frozen briefly (at most %2) for a final copy, as at Complete, so the target is a consistent copy of the source as of that moment; later writes to the source are not on it.</source>
        <translation>%1 wird wie beim Abschließen kurz (höchstens %2) für eine letzte Kopie eingefroren, sodass das Ziel eine konsistente Kopie der Quelle zu diesem Zeitpunkt ist; spätere Schreibzugriffe auf die Quelle sind nicht darauf.</translation>
    </message>
    <message>
        <source>“Cancel Now” skips the final copy: the target is then like a disk after a power cut. Its file systems need a check (fsck) or a journal replay before use, and the last writes to the source are missing.</source>
        <translation>„Sofort abbrechen“ überspringt die letzte Kopie: Das Ziel gleicht dann einem Datenträger nach einem Stromausfall. Seine Dateisysteme brauchen vor der Verwendung eine Prüfung (fsck) oder ein Journal-Replay, und die letzten Schreibzugriffe auf die Quelle fehlen.</translation>
    </message>
    <message>
        <source>Cancel Now</source>
        <translation>Sofort abbrechen</translation>
    </message>
    <message>
        <source>Stop at once, without a final copy: a copy like after a power cut</source>
        <translation>Sofort beenden, ohne letzte Kopie: eine Kopie wie nach einem Stromausfall</translation>
    </message>
    <message>
        <source>Freeze the source briefly for a final copy: a consistent copy</source>
        <translation>Die Quelle für eine letzte Kopie kurz einfrieren: eine konsistente Kopie</translation>
    </message>
    <message>
        <source>Cancelling: making the final copy…</source>
        <translation>Wird abgebrochen: Die letzte Kopie wird erstellt…</translation>
    </message>
    <message>
        <source>Complete failed.</source>
        <translation>Abschließen fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The final copy could not be made while the source was frozen: %1. The source runs on, the mirror keeps the target in sync, and the target is still the copy of the last time they were in sync. Press Complete to try again; if it fails again, raise the maximum freeze in the settings, or reduce the writes to the source.</source>
        <translation>Die letzte Kopie konnte nicht erstellt werden, während die Quelle eingefroren war: %1. Die Quelle läuft weiter, die Spiegelung hält das Ziel synchron, und das Ziel ist weiterhin die Kopie vom Zeitpunkt der letzten Synchronität. Klicken Sie auf „Abschließen“, um es erneut zu versuchen; schlägt es wieder fehl, erhöhen Sie die maximale Einfrierzeit in den Einstellungen oder verringern Sie die Schreibzugriffe auf die Quelle.</translation>
    </message>
    <message>
        <source>Verification compared %1 with the source, checked %2 against what the job wrote (the source changed there after the final copy), and could not check %3.</source>
        <translation>Die Überprüfung hat %1 mit der Quelle verglichen, %2 mit dem abgeglichen, was der Auftrag geschrieben hat (dort hat sich die Quelle nach der letzten Kopie geändert), und %3 nicht prüfen können.</translation>
    </message>
    <message>
        <source>Its verification was cancelled: the copy was not checked.</source>
        <translation>Die Überprüfung wurde abgebrochen: Die Kopie wurde nicht geprüft.</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were cleared and read back as zeroes.</source>
        <translation>Die %1 des Ziels hinter dem Ende der Quelle wurden geleert und als Nullen zurückgelesen.</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were cleared.</source>
        <translation>Die %1 des Ziels hinter dem Ende der Quelle wurden geleert.</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were kept as they were and not compared.</source>
        <translation>Die %1 des Ziels hinter dem Ende der Quelle wurden unverändert belassen und nicht verglichen.</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy (%3); verification found no difference where it could check.</source>
        <translation>%1 ist zum Zeitpunkt der letzten Kopie identisch mit %2 (%3); die Überprüfung hat dort, wo sie prüfen konnte, keinen Unterschied gefunden.</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy, and verified (%3).</source>
        <translation>%1 ist zum Zeitpunkt der letzten Kopie identisch mit %2 und überprüft (%3).</translation>
    </message>
    <message>
        <source>%1 is like %2 after a power cut: its file systems need a check (fsck) or a journal replay before use, and the last writes are missing.</source>
        <translation>%1 gleicht %2 nach einem Stromausfall: Die Dateisysteme darauf brauchen vor der Verwendung eine Prüfung (fsck) oder ein Journal-Replay, und die letzten Schreibzugriffe fehlen.</translation>
    </message>
    <message>
        <source>The source could not be frozen long enough for the final copy, so the mirror was cancelled without it.</source>
        <translation>Die Quelle konnte für die letzte Kopie nicht lange genug eingefroren werden, daher wurde die Spiegelung ohne sie abgebrochen.</translation>
    </message>
    <message>
        <source>Reason: %1.</source>
        <translation>Grund: %1.</translation>
    </message>
    <message>
        <source>Cancelled without a final copy.</source>
        <translation>Ohne letzte Kopie abgebrochen.</translation>
    </message>
    <message>
        <source>%1 is a consistent copy of %2 as of the last time they were in sync; later writes to the source are not on it.</source>
        <translation>%1 ist eine konsistente Kopie von %2 zum Zeitpunkt der letzten Synchronität; spätere Schreibzugriffe auf die Quelle sind nicht darauf.</translation>
    </message>
    <message>
        <source>%1 is a consistent copy of %2 as of the final copy; later writes to the source are not on it.</source>
        <translation>%1 ist eine konsistente Kopie von %2 zum Zeitpunkt der letzten Kopie; spätere Schreibzugriffe auf die Quelle sind nicht darauf.</translation>
    </message>
    <message>
        <source>%1 is incomplete and not usable as a copy. The mirror created this file; you can delete it.</source>
        <translation>%1 ist unvollständig und als Kopie nicht verwendbar. Die Spiegelung hat diese Datei erstellt; Sie können sie löschen.</translation>
    </message>
    <message>
        <source>Delete the Incomplete Image?</source>
        <translation>Unvollständiges Image löschen?</translation>
    </message>
    <message>
        <source>%1 holds only part of the source.</source>
        <translation>%1 enthält nur einen Teil der Quelle.</translation>
    </message>
    <message>
        <source>The mirror created this image file and was cancelled before it was in sync, so it is not usable as a copy. Delete it, or keep it to look at or to mirror into again.</source>
        <translation>Die Spiegelung hat diese Image-Datei erstellt und wurde abgebrochen, bevor sie synchron war; daher ist die Datei als Kopie nicht verwendbar. Löschen Sie sie, oder behalten Sie sie, um sie anzusehen oder erneut in sie zu spiegeln.</translation>
    </message>
    <message>
        <source>Delete File</source>
        <translation>Datei löschen</translation>
    </message>
    <message>
        <source>Keep File</source>
        <translation>Datei behalten</translation>
    </message>
    <message>
        <source>Cannot Delete %1</source>
        <translation>%1 kann nicht gelöscht werden</translation>
    </message>
    <message>
        <source>The incomplete %1 was deleted.</source>
        <translation>Die unvollständige Datei %1 wurde gelöscht.</translation>
    </message>
    <message>
        <source>Closing stops the mirror at once, without a final copy: the target is then like a disk after a power cut. Its file systems need a check (fsck) or a journal replay before use, and the last writes to the source are missing. For a consistent copy, press Cancel or Complete first and close when the mirror has ended.</source>
        <translation>Beim Schließen wird die Spiegelung sofort beendet, ohne letzte Kopie: Das Ziel gleicht dann einem Datenträger nach einem Stromausfall. Seine Dateisysteme brauchen vor der Verwendung eine Prüfung (fsck) oder ein Journal-Replay, und die letzten Schreibzugriffe auf die Quelle fehlen. Für eine konsistente Kopie klicken Sie zuerst auf „Abbrechen“ oder „Abschließen“ und schließen Sie erst, wenn die Spiegelung beendet ist.</translation>
    </message>
    <message>
        <source>The target stays a consistent copy of the source as of the last time they were in sync.</source>
        <translation>Das Ziel bleibt eine konsistente Kopie der Quelle zum Zeitpunkt der letzten Synchronität.</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>The choice of targets has changed.</source>
        <translation>Die Auswahl der Ziele hat sich geändert.</translation>
    </message>
    <message>
        <source>Too Many Targets</source>
        <translation>Zu viele Ziele</translation>
    </message>
    <message>
        <source>A mirror copies to at most %1 targets at once; %2 are selected.</source>
        <translation>Eine Spiegelung kopiert auf höchstens %1 Ziele zugleich; %2 sind ausgewählt.</translation>
    </message>
    <message>
        <source>Checking the targets…</source>
        <translation>Ziele werden geprüft…</translation>
    </message>
    <message>
        <source>Cannot Use %1</source>
        <translation>%1 kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>%1 (Target %2 of %3)</source>
        <translation>%1 (Ziel %2 von %3)</translation>
    </message>
    <message>
        <source>Create, Next Target</source>
        <translation>Erstellen, nächstes Ziel</translation>
    </message>
    <message>
        <source>Overwrite, Next Target</source>
        <translation>Überschreiben, nächstes Ziel</translation>
    </message>
    <message numerus="yes">
        <source>%n targets are in sync with %1. Complete the mirror when you are ready.</source>
        <translation>
            <numerusform>%n Ziel ist synchron mit %1. Schließen Sie die Spiegelung ab, wenn Sie bereit sind.</numerusform>
            <numerusform>%n Ziele sind synchron mit %1. Schließen Sie die Spiegelung ab, wenn Sie bereit sind.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Completed: %n targets identical.</source>
        <translation>
            <numerusform>Abgeschlossen: %n Ziel identisch.</numerusform>
            <numerusform>Abgeschlossen: %n Ziele identisch.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The mirror to %n targets is complete.</source>
        <translation>
            <numerusform>Die Spiegelung auf %n Ziel ist abgeschlossen.</numerusform>
            <numerusform>Die Spiegelung auf %n Ziele ist abgeschlossen.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 targets identical.</source>
        <translation>%1 von %2 Zielen identisch.</translation>
    </message>
    <message>
        <source>Not Every Target Was Copied</source>
        <translation>Nicht alle Ziele wurden kopiert</translation>
    </message>
    <message>
        <source>%1 of %2 targets are identical to the source.</source>
        <translation>%1 von %2 Zielen sind identisch mit der Quelle.</translation>
    </message>
    <message>
        <source>Cancelled: %1 of %2 targets identical.</source>
        <translation>Abgebrochen: %1 von %2 Zielen identisch.</translation>
    </message>
    <message>
        <source>Delete the Incomplete Images?</source>
        <translation>Unvollständige Images löschen?</translation>
    </message>
    <message>
        <source>%1 hold only part of the source.</source>
        <translation>%1 enthalten nur einen Teil der Quelle.</translation>
    </message>
    <message>
        <source>The mirror created these image files and they did not get in sync, so they are not usable as copies. Delete them, or keep them to look at or to mirror into again.</source>
        <translation>Die Spiegelung hat diese Image-Dateien erstellt, und sie sind nicht synchron geworden; daher sind sie als Kopien nicht verwendbar. Löschen Sie sie, oder behalten Sie sie, um sie anzusehen oder erneut in sie zu spiegeln.</translation>
    </message>
    <message>
        <source>Delete Files</source>
        <translation>Dateien löschen</translation>
    </message>
    <message>
        <source>Keep Files</source>
        <translation>Dateien behalten</translation>
    </message>
    <message>
        <source>Cannot Resume the Mirror</source>
        <translation>Die Spiegelung kann nicht fortgesetzt werden</translation>
    </message>
    <message>
        <source>Neither the source nor the target is present now, so the copy cannot be resumed yet.</source>
        <translation>Weder die Quelle noch das Ziel ist derzeit vorhanden, daher kann die Kopie noch nicht fortgesetzt werden.</translation>
    </message>
    <message>
        <source>The source %1 is not present now, so the copy cannot be resumed yet.</source>
        <translation>Die Quelle %1 ist derzeit nicht vorhanden, daher kann die Kopie noch nicht fortgesetzt werden.</translation>
    </message>
    <message>
        <source>The target %1 is not present now, so the copy cannot be resumed yet.</source>
        <translation>Das Ziel %1 ist derzeit nicht vorhanden, daher kann die Kopie noch nicht fortgesetzt werden.</translation>
    </message>
    <message>
        <source>%1 or %2 could not be listed.</source>
        <translation>%1 oder %2 konnte nicht aufgelistet werden.</translation>
    </message>
    <message>
        <source>%1 cannot be chosen as the source now.</source>
        <translation>%1 kann derzeit nicht als Quelle gewählt werden.</translation>
    </message>
    <message>
        <source>%1 cannot be chosen as the target now; the target list says why.</source>
        <translation>%1 kann derzeit nicht als Ziel gewählt werden; die Zielliste nennt den Grund.</translation>
    </message>
    <message>
        <source>Not resumed.</source>
        <translation>Nicht fortgesetzt.</translation>
    </message>
    <message>
        <source>Discard the Interrupted Copy?</source>
        <translation>Unterbrochene Kopie verwerfen?</translation>
    </message>
    <message>
        <source>The copy of %1 to %2 can then no longer be resumed.</source>
        <translation>Die Kopie von %1 nach %2 kann dann nicht mehr fortgesetzt werden.</translation>
    </message>
    <message>
        <source>%1 keeps what was copied so far, but it is not usable as a copy; a new mirror to it starts from the beginning.</source>
        <translation>%1 behält, was bisher kopiert wurde, ist aber als Kopie nicht verwendbar; eine neue Spiegelung darauf beginnt von vorn.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Cannot Discard the Interrupted Copy</source>
        <translation>Die unterbrochene Kopie kann nicht verworfen werden</translation>
    </message>
    <message>
        <source>Network (NBD export)</source>
        <translation>Netzwerk (NBD-Export)</translation>
    </message>
</context>
<context>
    <name>ui::NbdExportDialog</name>
    <message>
        <source>&amp;Test Connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>Add NBD Export</source>
        <translation>NBD-Export hinzufügen</translation>
    </message>
    <message>
        <source>An export of an NBD server on another machine or on this one (drivemirror-cli serve, qemu-nbd, nbdkit). It is listed as a target: a mirror onto it overwrites what it holds.</source>
        <translation>Ein Export eines NBD-Servers auf einem anderen Rechner oder auf diesem (drivemirror-cli serve, qemu-nbd, nbdkit). Er wird als Ziel aufgeführt: Eine Spiegelung darauf überschreibt, was er enthält.</translation>
    </message>
    <message>
        <source>&amp;URI:</source>
        <translation>&amp;URI:</translation>
    </message>
    <message>
        <source>%1 (on another machine)</source>
        <translation>%1 (auf einem anderen Rechner)</translation>
    </message>
    <message>
        <source>%1 (on this machine)</source>
        <translation>%1 (auf diesem Rechner)</translation>
    </message>
    <message>
        <source>%1 (with TLS)</source>
        <translation>%1 (mit TLS)</translation>
    </message>
    <message>
        <source>Connect to the export and show its size and whether it may be written; nothing is written.</source>
        <translation>Mit dem Export verbinden und seine Größe anzeigen und ob er beschrieben werden darf; es wird nichts geschrieben.</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>Verbindung zum Server wird hergestellt…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Keine Verbindung: %1</translation>
    </message>
    <message>
        <source>%1, read-only: cannot be a target</source>
        <translation>%1, schreibgeschützt: kann kein Ziel sein</translation>
    </message>
    <message>
        <source>%1, writable</source>
        <translation>%1, beschreibbar</translation>
    </message>
    <message>
        <source>An export of an NBD server on another machine or on this one (drivemirror-cli serve, qemu-nbd, nbdkit), to mirror from. Other clients&apos; writes to it cannot be followed: it is copied as an image nothing else writes to.</source>
        <translation>Ein Export eines NBD-Servers auf einem anderen Rechner oder auf diesem (drivemirror-cli serve, qemu-nbd, nbdkit), von dem gespiegelt wird. Schreibzugriffe anderer Clients darauf lassen sich nicht verfolgen: Er wird kopiert wie ein Image, in das nichts anderes schreibt.</translation>
    </message>
    <message>
        <source>%1, read-only</source>
        <translation>%1, schreibgeschützt</translation>
    </message>
</context>
<context>
    <name>ui::ResumeOffer</name>
    <message>
        <source>Res&amp;ume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>Select the source and the target and start the copy where it stopped; the start asks for confirmation as always</source>
        <translation>Quelle und Ziel auswählen und die Kopie dort starten, wo sie aufgehört hat; der Start fragt wie immer nach Bestätigung</translation>
    </message>
    <message>
        <source>An interrupted copy of %1 to %2 can be resumed: %3 was copied (%4 of %5); the rest is copied, and what changed on the source since is found by comparing.</source>
        <translation>Eine unterbrochene Kopie von %1 nach %2 kann fortgesetzt werden: %3 wurden kopiert (%4 von %5); der Rest wird kopiert, und was sich seitdem auf der Quelle geändert hat, wird durch Vergleichen gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>%n more interrupted copies are waiting; they are offered after this one.</source>
        <translation>
            <numerusform>%n weitere unterbrochene Kopie wartet; sie wird nach dieser angeboten.</numerusform>
            <numerusform>%n weitere unterbrochene Kopien warten; sie werden nach dieser angeboten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove what lets this copy be resumed; the target keeps what was copied so far</source>
        <translation>Entfernen, was das Fortsetzen dieser Kopie ermöglicht; das Ziel behält, was bisher kopiert wurde</translation>
    </message>
    <message>
        <source>Kept in %1, which only an administrator can change</source>
        <translation>Liegt in %1, das nur ein Administrator ändern kann</translation>
    </message>
</context>
<context>
    <name>ui::StationAuditModel</name>
    <message>
        <source>WWN: %1</source>
        <translation>WWN: %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Kapazität</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/s</translation>
    </message>
    <message>
        <source>Afterwards</source>
        <translation>Danach</translation>
    </message>
</context>
<context>
    <name>ui::StationController</name>
    <message>
        <source>neither pkexec nor drivemirror-cli was found</source>
        <translation>weder pkexec noch drivemirror-cli wurde gefunden</translation>
    </message>
    <message>
        <source>The station reports an error: %1</source>
        <translation>Die Station meldet einen Fehler: %1</translation>
    </message>
    <message>
        <source>It was there before the station was armed: plug it in again to write it.</source>
        <translation>Es war schon da, bevor die Station scharf geschaltet wurde: Stecken Sie es erneut ein, damit es beschrieben wird.</translation>
    </message>
    <message>
        <source>The station is not armed.</source>
        <translation>Die Station ist nicht scharf geschaltet.</translation>
    </message>
    <message>
        <source>The station could not be started (%1)%2</source>
        <translation>Die Station konnte nicht gestartet werden (%1)%2</translation>
    </message>
    <message>
        <source>The station process crashed%1</source>
        <translation>Der Prozess der Station ist abgestürzt%1</translation>
    </message>
    <message>
        <source>Administrator authentication was cancelled or refused: the station did not start.</source>
        <translation>Die Authentifizierung als Administrator wurde abgebrochen oder verweigert: Die Station wurde nicht gestartet.</translation>
    </message>
    <message>
        <source>The station stopped: its audit log could not be written, or it cannot see drives being plugged in%1</source>
        <translation>Die Station wurde angehalten: Ihr Prüfprotokoll konnte nicht geschrieben werden, oder sie bemerkt nicht, wenn Laufwerke eingesteckt werden%1</translation>
    </message>
    <message>
        <source>The station did not start%1</source>
        <translation>Die Station wurde nicht gestartet%1</translation>
    </message>
    <message>
        <source>The station ended with exit code %1%2</source>
        <translation>Die Station wurde mit Exit-Code %1 beendet%2</translation>
    </message>
    <message>
        <source>no result: the station ended</source>
        <translation>kein Ergebnis: Die Station wurde beendet</translation>
    </message>
</context>
<context>
    <name>ui::StationSlotTile</name>
    <message>
        <source>Waiting for a drive</source>
        <translation>Wartet auf ein Laufwerk</translation>
    </message>
    <message>
        <source>Left alone</source>
        <translation>Nicht angerührt</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Überprüfung</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>FEHLGESCHLAGEN</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Matches %1</source>
        <translation>Zuordnung: %1</translation>
    </message>
    <message>
        <source>Slot %1: %2</source>
        <translation>Slot %1: %2</translation>
    </message>
    <message>
        <source>No drive</source>
        <translation>Kein Laufwerk</translation>
    </message>
    <message>
        <source>serial %1</source>
        <translation>Seriennummer %1</translation>
    </message>
    <message>
        <source>Unnamed drive</source>
        <translation>Unbenanntes Laufwerk</translation>
    </message>
    <message>
        <source>%1 of %2, %3</source>
        <translation>%1 von %2, %3</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>average %1</source>
        <translation>Durchschnitt %1</translation>
    </message>
    <message>
        <source>Last result: %1</source>
        <translation>Letztes Ergebnis: %1</translation>
    </message>
    <message>
        <source>Last result: %1 (%2)</source>
        <translation>Letztes Ergebnis: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>ui::StationWindow</name>
    <message numerus="yes">
        <source>%n drive(s) recorded</source>
        <translation>
            <numerusform>%n Laufwerk erfasst</numerusform>
            <numerusform>%n Laufwerke erfasst</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) exported to %1</source>
        <translation>
            <numerusform>%n Eintrag nach %1 exportiert</numerusform>
            <numerusform>%n Einträge nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>The audit log could not be saved to %1.</source>
        <translation>Das Prüfprotokoll konnte nicht in %1 gespeichert werden.</translation>
    </message>
    <message>
        <source>&amp;Arm</source>
        <translation>&amp;Scharf schalten</translation>
    </message>
    <message>
        <source>Hash the source, then write every drive plugged into a slot</source>
        <translation>Den Hash der Quelle berechnen, dann jedes Laufwerk beschreiben, das in einen Slot gesteckt wird</translation>
    </message>
    <message>
        <source>&amp;Disarm</source>
        <translation>&amp;Unscharf schalten</translation>
    </message>
    <message>
        <source>Take no more drives and cancel the copies under way (their records say so)</source>
        <translation>Keine weiteren Laufwerke annehmen und laufende Kopien abbrechen (ihre Einträge vermerken das)</translation>
    </message>
    <message>
        <source>Config:</source>
        <translation>Konfiguration:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Station&apos;s audit log:</source>
        <translation>Prüfprotokoll der Station:</translation>
    </message>
    <message>
        <source>Audit records</source>
        <translation>Einträge im Prüfprotokoll</translation>
    </message>
    <message>
        <source>No drive yet</source>
        <translation>Noch kein Laufwerk</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Save these records as a CSV file, with every column of the station&apos;s own audit log</source>
        <translation>Diese Einträge als CSV-Datei speichern, mit allen Spalten des Prüfprotokolls der Station</translation>
    </message>
    <message>
        <source>Imaging station</source>
        <translation>Kopierstation</translation>
    </message>
    <message>
        <source>%1 – DriveMirror Station</source>
        <translation>%1 – DriveMirror-Station</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>noch nicht bekannt</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <source>computed when armed</source>
        <translation>wird beim Scharfschalten berechnet</translation>
    </message>
    <message>
        <source>Not armed</source>
        <translation>Nicht scharf geschaltet</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Computing the checksum…</source>
        <translation>Prüfsumme wird berechnet…</translation>
    </message>
    <message>
        <source>ARMED: drives plugged in are overwritten</source>
        <translation>SCHARF: Eingesteckte Laufwerke werden überschrieben</translation>
    </message>
    <message>
        <source>Disarming…</source>
        <translation>Wird unscharf geschaltet…</translation>
    </message>
    <message>
        <source>Disarmed</source>
        <translation>Unscharf geschaltet</translation>
    </message>
    <message numerus="yes">
        <source>Disarmed (%1): %n drive(s) finished, %2 passed</source>
        <translation>
            <numerusform>Unscharf geschaltet (%1): %n Laufwerk fertig, %2 bestanden</numerusform>
            <numerusform>Unscharf geschaltet (%1): %n Laufwerke fertig, %2 bestanden</numerusform>
        </translation>
    </message>
    <message>
        <source>The station needs administrator rights: neither pkexec nor drivemirror-cli was found</source>
        <translation>Die Station braucht Administratorrechte: Weder pkexec noch drivemirror-cli wurde gefunden</translation>
    </message>
    <message>
        <source>Export Audit Records</source>
        <translation>Einträge des Prüfprotokolls exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Disarm the Station?</source>
        <translation>Station unscharf schalten?</translation>
    </message>
    <message>
        <source>The station is armed. Closing the window disarms it, and the drives being written now are cancelled.</source>
        <translation>Die Station ist scharf geschaltet. Beim Schließen des Fensters wird sie unscharf geschaltet, und die Kopien auf die Laufwerke, die gerade beschrieben werden, werden abgebrochen.</translation>
    </message>
    <message>
        <source>Disarm and Close</source>
        <translation>Unscharf schalten und schließen</translation>
    </message>
    <message>
        <source>Closing once the station has stopped…</source>
        <translation>Wird geschlossen, sobald die Station angehalten hat…</translation>
    </message>
</context>
<context>
    <name>ui::StatusPanel</name>
    <message>
        <source>Choose a source and a target, check the settings, then press Start.</source>
        <translation>Wählen Sie eine Quelle und ein Ziel, prüfen Sie die Einstellungen und klicken Sie dann auf „Starten“.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>copying %1</source>
        <translation>kopiert %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
    <message>
        <source>%1 to copy</source>
        <translation>%1 zu kopieren</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>Limit %1</translation>
    </message>
    <message>
        <source>%1 unreadable</source>
        <translation>%1 unlesbar</translation>
    </message>
    <message>
        <source>stopped on an I/O error: %1</source>
        <translation>wegen E/A-Fehler angehalten: %1</translation>
    </message>
    <message>
        <source>Verifying… %1</source>
        <translation>Wird überprüft… %1</translation>
    </message>
    <message>
        <source>%1 of %2 checked</source>
        <translation>%1 von %2 geprüft</translation>
    </message>
    <message>
        <source>the source runs on meanwhile</source>
        <translation>die Quelle läuft währenddessen weiter</translation>
    </message>
</context>
<context>
    <name>ui::TargetTable</name>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Targets of this mirror</source>
        <translation>Ziele dieser Spiegelung</translation>
    </message>
    <message>
        <source>Verification found differences</source>
        <translation>Überprüfung hat Unterschiede gefunden</translation>
    </message>
    <message>
        <source>Identical, verified</source>
        <translation>Identisch, überprüft</translation>
    </message>
    <message>
        <source>Identical</source>
        <translation>Identisch</translation>
    </message>
    <message>
        <source>Cancelled: like a disk after a power cut</source>
        <translation>Abgebrochen: wie ein Datenträger nach einem Stromausfall</translation>
    </message>
    <message>
        <source>Cancelled: a consistent copy</source>
        <translation>Abgebrochen: eine konsistente Kopie</translation>
    </message>
    <message>
        <source>Cancelled before in sync: incomplete</source>
        <translation>Vor der Synchronität abgebrochen: unvollständig</translation>
    </message>
    <message>
        <source>Dropped: %1</source>
        <translation>Aufgegeben: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Überprüfung</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>ui::ThroughputGraph</name>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>−%1 s</source>
        <translation>−%1 s</translation>
    </message>
    <message>
        <source>−%1 min</source>
        <translation>−%1 min</translation>
    </message>
    <message>
        <source>Data copied</source>
        <translation>Kopierte Daten</translation>
    </message>
    <message>
        <source>Zeroed or discarded</source>
        <translation>Genullt oder verworfen</translation>
    </message>
    <message>
        <source>Speed limit</source>
        <translation>Geschwindigkeitsbegrenzung</translation>
    </message>
    <message>
        <source>Giving way to other I/O</source>
        <translation>Vortritt für übrige E/A</translation>
    </message>
</context>
</TS>
