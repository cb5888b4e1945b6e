<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>cli</name>
    <message>
        <source>full: everything; top: only the allocated extents of SOURCE (holes stay untouched); none: only what is written to SOURCE during the job (default full)</source>
        <translation>full: すべて。top: SOURCE の割り当て済み領域のみ（未割り当て領域はそのまま）。none: ジョブ中に SOURCE へ書き込まれた部分のみ（既定: full）</translation>
    </message>
    <message>
        <source>dirty-tracking unit, a power of two from 512 B to 64 MiB (default 64 KiB, or the target&apos;s physical block size when larger)</source>
        <translation>変更追跡の単位。512 B から 64 MiB までの 2 のべき乗（既定: 64 KiB。ターゲットの物理ブロックサイズのほうが大きい場合はそのサイズ）</translation>
    </message>
    <message>
        <source>limit in bytes per second, e.g. 100M (default 0 = unlimited)</source>
        <translation>1 秒あたりのバイト数による速度制限。例: 100M（既定: 0 = 無制限）</translation>
    </message>
    <message>
        <source>report|ignore|stop|enospc (default report); ignore re-reads a failed range block by block, writes zeroes where nothing can be read and lists those ranges at the end</source>
        <translation>report|ignore|stop|enospc（既定: report）。ignore では失敗した範囲をブロックごとに読み直し、読み取れない部分にはゼロを書き込み、その範囲を最後に一覧表示します</translation>
    </message>
    <message>
        <source>report|ignore|stop|enospc (default report)</source>
        <translation>report|ignore|stop|enospc（既定: report）</translation>
    </message>
    <message>
        <source>write zeroes instead of discarding them (target fully allocated)</source>
        <translation>ゼロを破棄せずに書き込みます（ターゲットはすべて割り当て済みになります）</translation>
    </message>
    <message>
        <source>complete as soon as the job is READY</source>
        <translation>ジョブが READY になったらすぐに完了します</translation>
    </message>
    <message>
        <source>cancel as soon as the job is READY (a consistent copy)</source>
        <translation>ジョブが READY になったらすぐにキャンセルします（整合性のあるコピー）</translation>
    </message>
    <message>
        <source>accept a target block device that holds data</source>
        <translation>データのあるターゲットのブロックデバイスを受け入れます</translation>
    </message>
    <message>
        <source>do not track writes to a block-device source (only for sources nothing writes to; refused if mounted)</source>
        <translation>ブロックデバイスのソースへの書き込みを追跡しません（何も書き込まないソース専用。マウント中なら拒否）</translation>
    </message>
    <message>
        <source>one JSON object per line on stdout (QMP-style events)</source>
        <translation>stdout に 1 行につき 1 つの JSON オブジェクトを出力します（QMP 形式のイベント）</translation>
    </message>
    <message>
        <source>BLOCK_JOB_PROGRESS every MS milliseconds (default 1000)</source>
        <translation>MS ミリ秒ごとに BLOCK_JOB_PROGRESS を出力します（既定: 1000）</translation>
    </message>
    <message>
        <source>add the dirty map (N cells, hex) to progress events</source>
        <translation>進捗イベントにダーティマップ（N セル、16 進数）を追加します</translation>
    </message>
    <message>
        <source>cancel the job when stdin is closed (for a program that drives the CLI through a pipe)</source>
        <translation>stdin が閉じられたらジョブをキャンセルします（パイプ経由で CLI を操作するプログラム向け）</translation>
    </message>
    <message>
        <source>debug messages on stderr</source>
        <translation>stderr にデバッグメッセージを出力します</translation>
    </message>
    <message>
        <source>Usage:</source>
        <translation>使い方:</translation>
    </message>
    <message>
        <source>[options]</source>
        <translation>[オプション]</translation>
    </message>
    <message>
        <source>mirror copies SOURCE to TARGET (image files or block devices) with QEMU&apos;s drive-mirror semantics and keeps TARGET in sync until you complete or cancel. A TARGET that does not exist is created as a sparse file of SOURCE&apos;s size.</source>
        <translation>mirror は QEMU の drive-mirror と同じ方式で SOURCE を TARGET へコピーし（イメージファイルまたはブロックデバイス）、完了またはキャンセルするまで TARGET を同期し続けます。存在しない TARGET は、SOURCE と同じサイズのスパースファイルとして作成されます。</translation>
    </message>
    <message>
        <source>Mirror options:</source>
        <translation>mirror のオプション:</translation>
    </message>
    <message>
        <source>identical: %1 and %2 agree over %3 (%4 read, %5 of holes on both sides)</source>
        <translation>同一: %1 と %2 は %3 にわたって一致しています（読み取り %4、両側の未割り当て領域 %5）</translation>
    </message>
    <message numerus="yes">
        <source>DIFFERENT: %1 and %2 differ in more than %n range(s):</source>
        <translation>
            <numerusform>相違あり: %1 と %2 は %n 個を超える範囲で異なります:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>DIFFERENT: %1 and %2 differ in %n range(s):</source>
        <translation>
            <numerusform>相違あり: %1 と %2 は %n 個の範囲で異なります:</numerusform>
        </translation>
    </message>
    <message>
        <source>offset %1, %2 bytes</source>
        <translation>オフセット %1、%2 バイト</translation>
    </message>
    <message>
        <source>unknown sync mode &apos;%1&apos; (use full, top or none)</source>
        <translation>不明な同期モード &apos;%1&apos;（full、top、none のいずれかを指定してください）</translation>
    </message>
    <message>
        <source>--granularity: must not be 0</source>
        <translation>--granularity: 0 は指定できません</translation>
    </message>
    <message>
        <source>unknown error policy &apos;%1&apos; (use report, ignore, stop or enospc)</source>
        <translation>不明なエラー処理 &apos;%1&apos;（report、ignore、stop、enospc のいずれかを指定してください）</translation>
    </message>
    <message>
        <source>--progress-interval: milliseconds from 50 to 60000, not &apos;%1&apos;</source>
        <translation>--progress-interval: 50 から 60000 までのミリ秒数を指定してください（&apos;%1&apos; は不可）</translation>
    </message>
    <message>
        <source>--map-cells: a number of cells from 1 to 1048576, not &apos;%1&apos;</source>
        <translation>--map-cells: 1 から 1048576 までのセル数を指定してください（&apos;%1&apos; は不可）</translation>
    </message>
    <message>
        <source>unknown option</source>
        <translation>不明なオプション</translation>
    </message>
    <message>
        <source>cannot create a pipe: %1</source>
        <translation>パイプを作成できません: %1</translation>
    </message>
    <message>
        <source>%1  %2  %3 of %4  %5  ETA %6  dirty %7</source>
        <translation>%1  %2  %3 / %4  %5  残り %6  コピー待ち %7</translation>
    </message>
    <message>
        <source>STOPPED: %1</source>
        <translation>停止: %1</translation>
    </message>
    <message>
        <source>%1 received: cancelling</source>
        <translation>%1 を受信しました: キャンセルします</translation>
    </message>
    <message>
        <source>stdin closed: cancelling</source>
        <translation>stdin が閉じられました: キャンセルします</translation>
    </message>
    <message>
        <source>READY: %1 and %2 are in sync</source>
        <translation>READY: %1 と %2 は同期済みです</translation>
    </message>
    <message>
        <source>READY: %1 and %2 are in sync; type &apos;complete&apos; or &apos;cancel&apos; and Enter</source>
        <translation>READY: %1 と %2 は同期済みです。&apos;complete&apos; または &apos;cancel&apos; と入力して Enter を押してください</translation>
    </message>
    <message>
        <source>demo: %1 written by the live writer so far; completing</source>
        <translation>デモ: ライブ書き込みでこれまでに %1 を書き込みました。完了します</translation>
    </message>
    <message>
        <source>%1 processed, of which %2 were zero runs written without data transfer, in %3; data copied at %4</source>
        <translation>%3で %1 を処理（うち %2 はデータ転送なしで書き込んだゼロ範囲）、データのコピー速度 %4</translation>
    </message>
    <message>
        <source>completed: %1; %2 is identical to %3 as of the final copy (source quiesced %4 s)</source>
        <translation>完了: %1。%2 は最終コピーの時点で %3 と同一です（ソースの静止時間 %4 秒）</translation>
    </message>
    <message>
        <source>completed with errors ignored: %1; %2 differs from %3 in the ranges listed below</source>
        <translation>エラーを無視して完了: %1。%2 は以下の範囲で %3 と異なります</translation>
    </message>
    <message>
        <source>cancelled before READY: the target is incomplete: %1</source>
        <translation>READY 前にキャンセル: ターゲットは不完全です: %1</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>unreadable source range written as zeroes: offset %1, %2 bytes</source>
        <translation>読み取り不能なソース範囲をゼロとして書き込みました: オフセット %1、%2 バイト</translation>
    </message>
    <message>
        <source>target range left unwritten: offset %1, %2 bytes</source>
        <translation>書き込まれなかったターゲット範囲: オフセット %1、%2 バイト</translation>
    </message>
    <message>
        <source>--complete-when-ready and --cancel-when-ready exclude each other</source>
        <translation>--complete-when-ready と --cancel-when-ready は同時に指定できません</translation>
    </message>
    <message>
        <source>%1; run again with --force to accept</source>
        <translation>%1。受け入れるには --force を付けて再実行してください</translation>
    </message>
    <message>
        <source>--force: %1 will be overwritten</source>
        <translation>--force: %1 は上書きされます</translation>
    </message>
    <message>
        <source>mirror: unknown option or missing value: %1 (see --help)</source>
        <translation>mirror: 不明なオプションまたは値の指定漏れ: %1（--help を参照）</translation>
    </message>
    <message>
        <source>mirror needs SOURCE and TARGET (see --help)</source>
        <translation>mirror には SOURCE と TARGET が必要です（--help を参照）</translation>
    </message>
    <message>
        <source>demo: unknown option or missing value: %1 (see --help)</source>
        <translation>demo: 不明なオプションまたは値の指定漏れ: %1（--help を参照）</translation>
    </message>
    <message>
        <source>--size: at least 16M</source>
        <translation>--size: 16M 以上を指定してください</translation>
    </message>
    <message>
        <source>--live: a number of seconds</source>
        <translation>--live: 秒数を指定してください</translation>
    </message>
    <message>
        <source>--writer-rate: a rate above 0</source>
        <translation>--writer-rate: 0 より大きい速度を指定してください</translation>
    </message>
    <message>
        <source>demo takes no file arguments (see --help)</source>
        <translation>demo にはファイル引数を指定できません（--help を参照）</translation>
    </message>
    <message>
        <source>demo: preparing a %1 source image with data extents in %2</source>
        <translation>デモ: データ領域を含む %1 のソースイメージを %2 に準備しています</translation>
    </message>
    <message>
        <source>demo: a writer changes the source at %1 while it is mirrored; the job completes %2 s after READY and verifies the copy</source>
        <translation>デモ: ミラー中もソースは %1 で書き換えられます。ジョブは READY の %2 秒後に完了し、コピーを検証します</translation>
    </message>
    <message>
        <source>verify: unknown option %1</source>
        <translation>verify: 不明なオプション %1</translation>
    </message>
    <message>
        <source>verify needs two paths (see --help)</source>
        <translation>verify には 2 つのパスが必要です（--help を参照）</translation>
    </message>
    <message>
        <source>%1 (%2) is smaller than %3 (%4)</source>
        <translation>%1（%2）は %3（%4）より小さいです</translation>
    </message>
    <message>
        <source>verifying %1</source>
        <translation>検証中 %1</translation>
    </message>
    <message>
        <source>note: %1 is %2 larger; the extra bytes were not compared</source>
        <translation>注意: %1 は %2 大きいため、超過分のバイトは比較していません</translation>
    </message>
    <message>
        <source>info: unknown option %1</source>
        <translation>info: 不明なオプション %1</translation>
    </message>
    <message>
        <source>info takes one path</source>
        <translation>info に指定できるパスは 1 つだけです</translation>
    </message>
    <message>
        <source>info needs a path (see --help)</source>
        <translation>info にはパスが必要です（--help を参照）</translation>
    </message>
    <message>
        <source>path:</source>
        <translation>パス:</translation>
    </message>
    <message>
        <source>kind:</source>
        <translation>種類:</translation>
    </message>
    <message>
        <source>block device</source>
        <translation>ブロックデバイス</translation>
    </message>
    <message>
        <source>image file</source>
        <translation>イメージファイル</translation>
    </message>
    <message>
        <source>size:</source>
        <translation>サイズ:</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 バイト）</translation>
    </message>
    <message>
        <source>logical block:</source>
        <translation>論理ブロック:</translation>
    </message>
    <message>
        <source>physical block:</source>
        <translation>物理ブロック:</translation>
    </message>
    <message>
        <source>direct I/O:</source>
        <translation>ダイレクト I/O:</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no (buffered)</source>
        <translation>いいえ（バッファあり）</translation>
    </message>
    <message>
        <source>allocated:</source>
        <translation>割り当て済み:</translation>
    </message>
    <message numerus="yes">
        <source>%1 in %n extent(s)</source>
        <translation>
            <numerusform>%1（%n 個のエクステント）</numerusform>
        </translation>
    </message>
    <message>
        <source>default granularity:</source>
        <translation>既定の粒度:</translation>
    </message>
    <message>
        <source>mounted:</source>
        <translation>マウント:</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>list: unknown argument %1</source>
        <translation>list: 不明な引数 %1</translation>
    </message>
    <message>
        <source>DEVICE</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>MODEL</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>FS</source>
        <translation>ファイルシステム</translation>
    </message>
    <message>
        <source>USE</source>
        <translation>使用状況</translation>
    </message>
    <message>
        <source>mounted at %1</source>
        <translation>%1 にマウント</translation>
    </message>
    <message>
        <source>swap</source>
        <translation>スワップ</translation>
    </message>
    <message>
        <source>held by %1</source>
        <translation>%1 が使用中</translation>
    </message>
    <message>
        <source>system disk</source>
        <translation>システムディスク</translation>
    </message>
    <message>
        <source>%1, system disk</source>
        <translation>%1、システムディスク</translation>
    </message>
    <message>
        <source>inspect: %1 needs a value</source>
        <translation>inspect: %1 には値が必要です</translation>
    </message>
    <message>
        <source>inspect: unknown option %1</source>
        <translation>inspect: 不明なオプション %1</translation>
    </message>
    <message>
        <source>inspect takes one target</source>
        <translation>inspect に指定できるターゲットは 1 つだけです</translation>
    </message>
    <message>
        <source>inspect needs a target (see --help)</source>
        <translation>inspect にはターゲットが必要です（--help を参照）</translation>
    </message>
    <message>
        <source>target:</source>
        <translation>ターゲット:</translation>
    </message>
    <message>
        <source>holds:</source>
        <translation>内容:</translation>
    </message>
    <message>
        <source>device:</source>
        <translation>デバイス:</translation>
    </message>
    <message>
        <source>verdict:</source>
        <translation>判定:</translation>
    </message>
    <message>
        <source>nothing (it does not exist and would be created)</source>
        <translation>なし（存在しないため作成されます）</translation>
    </message>
    <message>
        <source>unknown (the first sectors could not be read)</source>
        <translation>不明（先頭セクタを読み取れませんでした）</translation>
    </message>
    <message>
        <source>no known partition table or file system</source>
        <translation>既知のパーティションテーブルもファイルシステムもありません</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>拒否: %1</translation>
    </message>
    <message>
        <source>accepted once you agree to overwrite %1 (mirror --force)</source>
        <translation>%1 の上書きに同意すれば受け入れ可能（mirror --force）</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>受け入れ可能</translation>
    </message>
    <message>
        <source>missing command (see --help)</source>
        <translation>コマンドがありません（--help を参照）</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (see --help)</source>
        <translation>不明なコマンド &apos;%1&apos;（--help を参照）</translation>
    </message>
    <message>
        <source>disk</source>
        <translation>ディスク</translation>
    </message>
    <message>
        <source>SSD</source>
        <translation>SSD</translation>
    </message>
    <message>
        <source>partition</source>
        <translation>パーティション</translation>
    </message>
    <message>
        <source>loop</source>
        <translation>ループ</translation>
    </message>
    <message>
        <source>loop partition</source>
        <translation>ループパーティション</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>SD card</source>
        <translation>SD カード</translation>
    </message>
    <message>
        <source>virtual</source>
        <translation>仮想</translation>
    </message>
    <message>
        <source>after the final copy, once SOURCE runs again, compare TARGET with SOURCE, and where SOURCE changed since, with hashes of what was written (8 bytes per granule)</source>
        <translation>最終コピーの後、SOURCE が再び動き出してから TARGET を SOURCE と比較します。最終コピー以降に SOURCE が変更された部分は、書き込んだ内容のハッシュ（グラニュールごとに 8 バイト）と照合します</translation>
    </message>
    <message>
        <source>longest time SOURCE&apos;s file systems stay frozen for the final copy (default 10, from 0.1 to 3600); a final copy that takes longer is abandoned, SOURCE is thawed and the job goes on mirroring</source>
        <translation>最終コピーのために SOURCE のファイルシステムをフリーズしておく最長時間（既定: 10、0.1 から 3600 まで）。最終コピーがこれより長くかかる場合は中止し、SOURCE のフリーズを解除して、ジョブはミラーを続けます</translation>
    </message>
    <message>
        <source>clear TARGET past the end of SOURCE (a larger disk), so nothing of its old data stays there; without it those bytes are kept and not compared</source>
        <translation>SOURCE の末尾より後ろにある TARGET の領域を消去し（より大きいディスクの場合）、古いデータが何も残らないようにします。指定しない場合、その部分のバイトはそのまま残され、比較もされません</translation>
    </message>
    <message>
        <source>refuse unless TARGET is still what you checked: the disk with this identity (the id in `list --json`), or the image file with this identity (the id in `inspect --json`: file:DEVMAJ:DEVMIN:INO:SIZE, or absent for a file the job creates)</source>
        <translation>TARGET が確認したときと同じものでなければ拒否します。ディスクならこの識別子（`list --json` の id）、イメージファイルならこの識別子（`inspect --json` の id。file:DEVMAJ:DEVMIN:INO:SIZE、ジョブが作成するファイルの場合は absent）で確認します</translation>
    </message>
    <message>
        <source>inspect applies every rule that needs no write to TARGET (for SOURCE, when given) and tells what TARGET holds and its identity, which mirror --expect-id takes to refuse anything else under that name: exit 0 when it would be accepted, 2 when a rule refuses it.</source>
        <translation>inspect は TARGET への書き込みを必要としないすべての規則を（SOURCE が指定されていればその組み合わせで）適用し、TARGET の内容と識別子を表示します。この識別子を mirror --expect-id に渡すと、同じ名前の別のものは拒否されます。受け入れられる場合は終了コード 0、規則により拒否される場合は 2 です。</translation>
    </message>
    <message>
        <source>%1 changed on %2 after the final copy: %3 of it checked against hashes of what was written to %4, %5 never written by the job and not checked</source>
        <translation>最終コピーの後に %2 で変更された %1: うち %3 は %4 に書き込んだ内容のハッシュと照合済み、%5 はジョブが書き込んでいないため未確認</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 read back as zeroes</source>
        <translation>%3 の末尾より後ろにある %2 の %1 は、読み返すとすべてゼロでした</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were not compared</source>
        <translation>%3 の末尾より後ろにある %2 の %1 は比較していません</translation>
    </message>
    <message>
        <source>--max-freeze: seconds from 0.1 to 3600, not &apos;%1&apos;</source>
        <translation>--max-freeze: 0.1 から 3600 までの秒数を指定してください（&apos;%1&apos; は不可）</translation>
    </message>
    <message>
        <source>--expect-id: an identity from `list --json` or `inspect --json`, not empty</source>
        <translation>--expect-id: `list --json` または `inspect --json` の識別子を指定してください（空は不可）</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (complete, cancel, cancel quick, pause, resume, speed RATE, status)</source>
        <translation>不明なコマンド &apos;%1&apos;（complete、cancel、cancel quick、pause、resume、speed RATE、status）</translation>
    </message>
    <message>
        <source>command line longer than %1 bytes: ignored</source>
        <translation>%1 バイトを超えるコマンド行: 無視しました</translation>
    </message>
    <message>
        <source>complete failed: %1; the job goes on mirroring at READY</source>
        <translation>完了に失敗: %1。ジョブは READY のままミラーを続けます</translation>
    </message>
    <message>
        <source>giving up after %1 attempts to complete; cancelling</source>
        <translation>完了を %1 回試みたため断念します。キャンセルします</translation>
    </message>
    <message>
        <source>verifying: comparing %1 with %2 while the source runs on</source>
        <translation>検証中: ソースの動作を続けたまま %1 を %2 と比較しています</translation>
    </message>
    <message>
        <source>completed: %1; but the verification found %2 different from %3 (ranges below)</source>
        <translation>完了: %1。ただし検証で %2 と %3 の相違が見つかりました（範囲は以下のとおり）</translation>
    </message>
    <message>
        <source>completed: %1; %2 holds the allocated data of %3 as of the final copy; its other ranges were not copied (sync top; source quiesced %4 s)</source>
        <translation>完了: %1。%2 には最終コピーの時点の %3 の割り当て済みデータが入っています。その他の範囲はコピーしていません（sync top、ソースの静止時間 %4 秒）</translation>
    </message>
    <message>
        <source>completed: %1; %2 holds what was written to %3 during the job, nothing else was copied (sync none; source quiesced %4 s)</source>
        <translation>完了: %1。%2 にはジョブ中に %3 へ書き込まれた内容だけが入っています。それ以外はコピーしていません（sync none、ソースの静止時間 %4 秒）</translation>
    </message>
    <message>
        <source>cancelled after READY without freezing the source: %1; %2 is like %3 after a power cut (a file system on it needs its journal replayed, and the last writes are missing)</source>
        <translation>READY 後にソースをフリーズせずにキャンセル: %1。%2 は電源断後の %3 と同じ状態です（その上のファイルシステムはジャーナルの再生が必要で、最後の書き込みは失われています）</translation>
    </message>
    <message>
        <source>cancelled after READY: %1; %2 is a consistent copy of %3 as of the final copy (source quiesced %4 s)</source>
        <translation>READY 後にキャンセル: %1。%2 は最終コピーの時点の %3 の整合性のあるコピーです（ソースの静止時間 %4 秒）</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were cleared</source>
        <translation>%3 の末尾より後ろにある %2 の %1 を消去しました</translation>
    </message>
    <message>
        <source>the %1 of %2 past the end of %3 were kept as they were (use --wipe-rest to clear them)</source>
        <translation>%3 の末尾より後ろにある %2 の %1 はそのまま残しました（消去するには --wipe-rest を指定）</translation>
    </message>
    <message>
        <source>verification cancelled: the copy is complete but was not checked</source>
        <translation>検証をキャンセル: コピーは完了していますが、確認されていません</translation>
    </message>
    <message>
        <source>identity:</source>
        <translation>識別子:</translation>
    </message>
    <message>
        <source>%1 (for mirror --expect-id)</source>
        <translation>%1（mirror --expect-id 用）</translation>
    </message>
    <message>
        <source>accepted once you agree to overwrite what it holds (mirror --force)</source>
        <translation>内容の上書きに同意すれば受け入れ可能（mirror --force）</translation>
    </message>
    <message>
        <source>copy buffer, split into up to 16 requests (default 16M, at most 1G); rounded up to whole granules, at least one, as QEMU does</source>
        <translation>コピーバッファ。最大 16 個の要求に分割されます（既定: 16M、最大 1G）。QEMU と同様に、グラニュール単位で切り上げられます（最低 1 グラニュール）</translation>
    </message>
    <message>
        <source>Without --complete-when-ready or --cancel-when-ready the job waits at READY. Commands are read on stdin, one per line, whenever it is open: complete, cancel, cancel quick, pause, resume, speed RATE, status, each optionally followed by id=WORD, which the JSON reply carries back. complete sent before READY is carried out at READY. When stdin ends without --cancel-on-eof, the job goes on: a job at READY keeps mirroring until a signal or --complete-when-ready ends it. After READY, cancel freezes SOURCE for a final copy as complete does, so TARGET is a copy of one moment; cancel quick does not, and a live SOURCE&apos;s copy is then like a disk after a power cut. SIGINT, SIGTERM, SIGHUP and the other signals that would end the program cancel quickly.</source>
        <translation>--complete-when-ready も --cancel-when-ready も指定しない場合、ジョブは READY で待機します。stdin が開いている間は、1 行に 1 つずつコマンドを読み取ります: complete、cancel、cancel quick、pause、resume、speed RATE、status。それぞれの後に id=WORD を付けると、JSON の応答にその値が返されます。READY 前に送られた complete は READY になった時点で実行されます。--cancel-on-eof なしで stdin が終わっても、ジョブは続きます: READY のジョブは、シグナルか --complete-when-ready で終了するまでミラーリングを続けます。READY 後の cancel は complete と同様に最終コピーのために SOURCE をフリーズするので、TARGET はある一時点のコピーになります。cancel quick はフリーズしないため、使用中の SOURCE のコピーは電源断後のディスクと同じ状態になります。SIGINT、SIGTERM、SIGHUP など、プログラムを終了させるシグナルを受けると、即座にキャンセルします。</translation>
    </message>
    <message>
        <source>SIZE and RATE: bytes, or a number with K, M, G, T (binary; KiB, MiB... too). A value that rounds down to 0, exponents (1e3), abbreviated and repeated options are refused.</source>
        <translation>SIZE と RATE: バイト数、または K、M、G、T を付けた数値（2 進接頭辞。KiB、MiB なども可）。0 に切り捨てられる値、指数表記（1e3）、省略したオプションと重複したオプションは拒否されます。</translation>
    </message>
    <message>
        <source>--buf-size: at most 1G (memory for data in flight), not &apos;%1&apos;</source>
        <translation>--buf-size: 最大 1G（処理中のデータ用のメモリ）です。&apos;%1&apos; は使えません</translation>
    </message>
    <message>
        <source>unknown option %1: options are not abbreviated (see --help)</source>
        <translation>不明なオプション %1: オプションは省略できません（--help を参照）</translation>
    </message>
    <message>
        <source>%1 given twice</source>
        <translation>%1 が 2 回指定されています</translation>
    </message>
    <message>
        <source>complete: carried out when the job is READY</source>
        <translation>complete: ジョブが READY になった時点で実行します</translation>
    </message>
    <message>
        <source>%1 bytes of %2 were not written (target errors ignored): the copy is not whole</source>
        <translation>%2 の %1 バイトが書き込まれませんでした（ターゲットのエラーを無視）: コピーは完全ではありません</translation>
    </message>
    <message>
        <source>%1 bytes of %2 could not be read and were written as zeroes (source errors ignored): the copy is not whole</source>
        <translation>%2 の %1 バイトを読み取れず、ゼロとして書き込みました（ソースのエラーを無視）: コピーは完全ではありません</translation>
    </message>
    <message>
        <source>%1 was created by this job and never held a whole copy: removed</source>
        <translation>%1 はこのジョブが作成し、完全なコピーを一度も保持しなかったため、削除しました</translation>
    </message>
    <message>
        <source>refuse a command the job cannot take at once instead of holding it until it can (for a program that follows the job&apos;s state itself)</source>
        <translation>ジョブがすぐに受け付けられないコマンドを、受け付けられるまで保留せずに拒否します（ジョブの状態を自分で追跡するプログラム向け）</translation>
    </message>
    <message>
        <source>keep a target file the job created when it fails or is cancelled before READY (for a program that asks its user instead)</source>
        <translation>ジョブが作成したターゲットファイルを、失敗または READY 前の取り消し時にも残す（代わりにユーザーに確認するプログラム向け）</translation>
    </message>
    <message>
        <source>Exit codes: 0 done as asked; 1 internal error; 2 bad input or refused by a safety rule (nothing written); 3 source failed; 4 target failed; 5 cancelled before READY (target incomplete); 6 verification found differences; 7 --complete-when-ready could not complete, because SOURCE could not be frozen for the final copy (long enough); TARGET is like a disk after a power cut; 8 completed, but --on-source-error or --on-target-error ignore left ranges zeroed or unwritten: the copy is not whole; 9 cancelled after READY: TARGET is a copy of one moment (consistent, or after cancel quick or a signal like a disk after a power cut); 10 completed, but the verification was cancelled: the copy is whole but not checked. A TARGET file the job created is removed again when the job fails or is cancelled before READY.</source>
        <translation>終了コード: 0 指示どおり終了、1 内部エラー、2 不正な入力または安全規則による拒否（何も書き込んでいない）、3 ソースの失敗、4 ターゲットの失敗、5 READY 前にキャンセル（ターゲットは不完全）、6 検証で相違を検出、7 最終コピーのために SOURCE を（十分な時間）フリーズできず、--complete-when-ready で完了できなかった（TARGET は電源断後のディスクと同じ状態）、8 完了したが、--on-source-error または --on-target-error の ignore により、ゼロで埋めた範囲または書き込まれなかった範囲がある（コピーは完全ではない）、9 READY 後にキャンセル（TARGET はある一時点のコピー。整合したコピー、または cancel quick やシグナルの後では電源断後のディスクと同じ状態）、10 完了したが検証がキャンセルされた（コピーは完全だが検証されていない）。ジョブが作成した TARGET ファイルは、READY 前にジョブが失敗するかキャンセルされると削除されます。</translation>
    </message>
    <message>
        <source>auto: while SOURCE&apos;s own programs use its disk, the copy gives way to them (fewer requests, a lower rate, the idle I/O class) and speeds up again when the disk is quiet; off: always full speed (default auto; a source nothing writes to is copied at full speed either way)</source>
        <translation>auto: SOURCE 側のプログラムがそのディスクを使っている間はコピーが譲り (要求数を減らし、速度を下げ、アイドル I/O クラスを使う)、ディスクが空けば再び速くなります。off: 常に全速 (既定は auto。何も書き込まないソースはどちらでも全速でコピーされます)</translation>
    </message>
    <message>
        <source>--yield: auto or off, not &apos;%1&apos;</source>
        <translation>--yield: auto か off を指定してください (&apos;%1&apos; ではなく)</translation>
    </message>
    <message>
        <source>mirror takes at most %1 targets, not %2</source>
        <translation>mirror のターゲットは最大 %1 個です（%2 個ではありません）</translation>
    </message>
    <message>
        <source>--expect-id: given %1 times for %2 targets; give it once per target, in the targets&apos; order</source>
        <translation>--expect-id: %2 個のターゲットに対して %1 回指定されました。ターゲットごとに 1 回、ターゲットの順に指定してください</translation>
    </message>
    <message>
        <source>--expect-id: given %1 times for one target</source>
        <translation>--expect-id: 1 つのターゲットに対して %1 回指定されました</translation>
    </message>
    <message>
        <source>with several TARGETs: drop a target that copies slower than RATE for 30 s while another keeps up (it ends as cancelled before READY)</source>
        <translation>複数の TARGET の場合: 他のターゲットが追いついている間に 30 秒間 RATE より遅いターゲットを外します（READY 前のキャンセルとして終了します）</translation>
    </message>
    <message>
        <source>With several TARGETs (up to 16) SOURCE is copied to all of them at once: each TARGET passes every rule before any is written, each has its own job and its own events (the JSON events&apos; device is the TARGET), SOURCE is read once for all that keep pace, and a slow or failing TARGET holds up no other. Commands and signals act on all; complete and --complete-when-ready freeze a live SOURCE once for all. Give --expect-id once per TARGET, in their order. Exit code 11: some TARGETs were copied and some not; when none was, the first TARGET&apos;s code.</source>
        <translation>複数の TARGET（最大 16 個）を指定すると、SOURCE はすべてに同時にコピーされます。どれかに書き込む前に各 TARGET がすべての規則を通過し、各 TARGET は独自のジョブと独自のイベントを持ち（JSON イベントの device が TARGET です）、ペースを保つすべての TARGET のために SOURCE は 1 回だけ読み取られ、遅い TARGET や失敗した TARGET が他を妨げることはありません。コマンドとシグナルはすべてに作用します。complete と --complete-when-ready は稼働中の SOURCE をすべてのために 1 回だけフリーズします。--expect-id は TARGET ごとにその順で 1 回ずつ指定してください。終了コード 11: 一部の TARGET はコピーされ、一部はされませんでした。どれもコピーされなかった場合は最初の TARGET のコードです。</translation>
    </message>
    <message>
        <source>%1 of %2 targets copied; the source was read %3 (%4 of it served to several targets from one read)</source>
        <translation>%2 個中 %1 個のターゲットをコピーしました。ソースの読み取り量は %3 です（うち %4 は 1 回の読み取りから複数のターゲットに渡されました）</translation>
    </message>
    <message>
        <source>%1 targets, %2 done, %3 failed; slowest %4:</source>
        <translation>ターゲット %1 個、完了 %2、失敗 %3、最も遅いもの %4:</translation>
    </message>
    <message>
        <source>station: %1 given twice</source>
        <translation>station: %1 が 2 回指定されました</translation>
    </message>
    <message>
        <source>station: --exit-after takes a number of drives, at least 1, not %1</source>
        <translation>station: --exit-after にはドライブ数（1 以上）を指定します。%1 ではありません</translation>
    </message>
    <message>
        <source>station: unknown option or missing value: %1 (see --help)</source>
        <translation>station: 不明なオプションまたは値の不足: %1（--help を参照）</translation>
    </message>
    <message>
        <source>station needs --config FILE (see --help)</source>
        <translation>station には --config FILE が必要です（--help を参照）</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of %1 (%2)...</source>
        <translation>%1 の SHA-256 を計算しています（%2）...</translation>
    </message>
    <message>
        <source>hashing: %1</source>
        <translation>ハッシュ計算: %1</translation>
    </message>
    <message>
        <source>Station %1 armed: %2 (%3, SHA-256 %4) to slots %5. Drives plugged in from now on are written; Ctrl+C stops.</source>
        <translation>ステーション %1 を有効化しました: %2（%3、SHA-256 %4）をスロット %5 へ。これ以降に差し込まれたドライブに書き込みます。Ctrl+C で停止します。</translation>
    </message>
    <message>
        <source>it is in no slot</source>
        <translation>どのスロットにもありません</translation>
    </message>
    <message>
        <source>it was there before the station was armed; plug it in again to write it</source>
        <translation>ステーションの有効化前から接続されていました。書き込むには差し直してください</translation>
    </message>
    <message>
        <source>the station is not armed</source>
        <translation>ステーションは有効化されていません</translation>
    </message>
    <message>
        <source>%1 (%2) left alone: %3</source>
        <translation>%1（%2）には触れません: %3</translation>
    </message>
    <message>
        <source>%1: %2 (%3) left alone: %4</source>
        <translation>%1: %2（%3）には触れません: %4</translation>
    </message>
    <message>
        <source>%1: writing %2 (%3, %4)</source>
        <translation>%1: %2 に書き込み中（%3、%4）</translation>
    </message>
    <message>
        <source>%1: writing %2 (%3, %4, serial %5)</source>
        <translation>%1: %2 に書き込み中（%3、%4、シリアル %5）</translation>
    </message>
    <message>
        <source>%1 verifying %2 %3</source>
        <translation>%1 %2 を検証中 %3</translation>
    </message>
    <message>
        <source>%1: %2 passed in %3 (%4); after: %5</source>
        <translation>%1: %2 合格、所要 %3（%4）、その後: %5</translation>
    </message>
    <message>
        <source>%1: %2 REFUSED (%3): %4</source>
        <translation>%1: %2 拒否（%3）: %4</translation>
    </message>
    <message>
        <source>%1: %2 FAILED: %3; after: %4</source>
        <translation>%1: %2 失敗: %3、その後: %4</translation>
    </message>
    <message>
        <source>%1: %2 FAILED: %3 (%4); after: %5</source>
        <translation>%1: %2 失敗: %3（%4）、その後: %5</translation>
    </message>
    <message numerus="yes">
        <source>Station stopped (%1): %n drive(s) finished, %2 passed.</source>
        <translation>
            <numerusform>ステーションを停止しました（%1）: %n 台のドライブが終了、%2 台が合格。</numerusform>
        </translation>
    </message>
    <message>
        <source>--drop-below: only with several targets</source>
        <translation>--drop-below: 複数のターゲットを指定した場合のみ使えます</translation>
    </message>
    <message>
        <source>--overwrite: %1 is not one of the targets</source>
        <translation>--overwrite: %1 はどのターゲットでもありません</translation>
    </message>
    <message>
        <source>stdin: unknown command (the station takes only disarm): %1</source>
        <translation>stdin: 不明なコマンド（ステーションが受け付けるのは disarm のみ）: %1</translation>
    </message>
    <message>
        <source>stopping the station (%1)</source>
        <translation>ステーションを停止します（%1）</translation>
    </message>
    <message>
        <source>as --force for this one of the TARGETs alone, named as given (repeat it for each target whose data may be overwritten)</source>
        <translation>--force と同じ働きを、指定したとおりの名前のこの TARGET だけに対して行います（データを上書きしてよいターゲットごとに繰り返し指定してください）</translation>
    </message>
    <message>
        <source>station runs an imaging station: it hashes the image named in FILE (JSON, see the README), then clones it onto every drive that is plugged into one of FILE&apos;s slots from then on, several at once, verifies each by reading it back, appends one record a drive to the audit log and ejects the drive. Drives that were there before, that are in no slot, in several, mounted, too small or larger than max-size are never written. SIGINT and SIGTERM stop it and cancel the copies under way; with --disarm-on-eof, so do the line disarm on stdin and the end of stdin (for a program that runs the station as root and cannot signal it); --exit-after N stops it once N drives have finished. Exit codes: 0 every drive passed; 1 the audit log could not be written; 2 a bad FILE or nothing to clone; 12 a drive was refused or failed.</source>
        <translation>station はイメージングステーションを実行します。FILE（JSON、README を参照）に指定されたイメージのハッシュを計算し、その後 FILE のスロットのいずれかに差し込まれたすべてのドライブに同時に複数クローンし、読み戻して各ドライブを検証し、ドライブごとに 1 件の記録を監査ログに追加してドライブを取り出します。以前から接続されていたドライブ、どのスロットにもないドライブ、複数のスロットに該当するドライブ、マウントされているドライブ、小さすぎるドライブ、max-size より大きいドライブには決して書き込みません。SIGINT と SIGTERM で停止し、進行中のコピーをキャンセルします。--disarm-on-eof を指定すると、stdin の disarm という行と stdin の終わりでも同様に停止します（ステーションを root として実行し、シグナルを送れないプログラム向け）。--exit-after N は N 台のドライブが終わると停止します。終了コード: 0 すべてのドライブが合格、1 監査ログに書き込めなかった、2 FILE が不正またはクローンするものがない、12 ドライブが拒否されたか失敗した。</translation>
    </message>
    <message>
        <source>--overwrite: a TARGET as given on the command line, not empty</source>
        <translation>--overwrite: コマンドラインで指定したとおりの TARGET を指定してください（空は不可）</translation>
    </message>
    <message>
        <source>source:</source>
        <translation>ソース:</translation>
    </message>
    <message>
        <source>in sync:</source>
        <translation>同期済み:</translation>
    </message>
    <message>
        <source>%1 of %2 (%3)</source>
        <translation>%1 / %2（%3）</translation>
    </message>
    <message>
        <source>granularity:</source>
        <translation>粒度:</translation>
    </message>
    <message>
        <source>sync:</source>
        <translation>同期:</translation>
    </message>
    <message>
        <source>saved:</source>
        <translation>保存:</translation>
    </message>
    <message>
        <source>%1 (%2 ago)</source>
        <translation>%1（%2 前）</translation>
    </message>
    <message>
        <source>unreadable:</source>
        <translation>読み取り不能:</translation>
    </message>
    <message>
        <source>%1 read as zeroes</source>
        <translation>%1 をゼロとして読み取り</translation>
    </message>
    <message>
        <source>to go on:</source>
        <translation>再開するには:</translation>
    </message>
    <message>
        <source>%1 needs a value</source>
        <translation>%1 には値が必要です</translation>
    </message>
    <message>
        <source>%1: a value, not empty</source>
        <translation>%1: 空ではない値を指定してください</translation>
    </message>
    <message>
        <source>no interrupted job %1 in %2 (see `jobs`)</source>
        <translation>%2 に中断されたジョブ %1 はありません（`jobs` を参照）</translation>
    </message>
    <message>
        <source>jobs --discard: no interrupted job %1 in %2 (see `jobs`)</source>
        <translation>jobs --discard: %2 に中断されたジョブ %1 はありません（`jobs` を参照）</translation>
    </message>
    <message>
        <source>jobs --discard: %1</source>
        <translation>jobs --discard: %1</translation>
    </message>
    <message>
        <source>discarded %1</source>
        <translation>%1 を破棄しました</translation>
    </message>
    <message>
        <source>jobs: %1</source>
        <translation>jobs: %1</translation>
    </message>
    <message>
        <source>jobs: unknown argument %1 (see --help)</source>
        <translation>jobs: 不明な引数 %1（--help を参照）</translation>
    </message>
    <message>
        <source>no interrupted jobs in %1</source>
        <translation>%1 に中断されたジョブはありません</translation>
    </message>
    <message>
        <source>map needs a sub-command: export ID (see --help)</source>
        <translation>map にはサブコマンドが必要です: export ID（--help を参照）</translation>
    </message>
    <message>
        <source>map: unknown sub-command %1 (see --help)</source>
        <translation>map: 不明なサブコマンド %1（--help を参照）</translation>
    </message>
    <message>
        <source>map export: %1</source>
        <translation>map export: %1</translation>
    </message>
    <message>
        <source>map export: unknown option %1 (see --help)</source>
        <translation>map export: 不明なオプション %1（--help を参照）</translation>
    </message>
    <message>
        <source>map export takes one job id</source>
        <translation>map export にはジョブ ID を 1 つだけ指定します</translation>
    </message>
    <message>
        <source>map export needs a job id, as `jobs` lists them</source>
        <translation>map export には `jobs` が表示するジョブ ID が必要です</translation>
    </message>
    <message>
        <source>map export: cannot write the map: %1</source>
        <translation>map export: マップを書き込めません: %1</translation>
    </message>
    <message>
        <source>map export: cannot create %1: %2</source>
        <translation>map export: %1 を作成できません: %2</translation>
    </message>
    <message>
        <source>map export: cannot write %1: %2</source>
        <translation>map export: %1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>--resume and --no-checkpoints exclude each other</source>
        <translation>--resume と --no-checkpoints は同時に指定できません</translation>
    </message>
    <message>
        <source>where the job keeps its checkpoints (default $DRIVEMIRROR_STATE_DIR, else /var/lib/drivemirror for root, $XDG_STATE_HOME/drivemirror or ~/.local/state/drivemirror for a user)</source>
        <translation>ジョブがチェックポイントを保存する場所（既定: $DRIVEMIRROR_STATE_DIR、なければ root は /var/lib/drivemirror、一般ユーザーは $XDG_STATE_HOME/drivemirror または ~/.local/state/drivemirror）</translation>
    </message>
    <message>
        <source>go on from the checkpoint an interrupted job of SOURCE to TARGET left in the state directory, instead of copying everything again (rule: resume mismatch when there is none or it is another job&apos;s)</source>
        <translation>全体を再びコピーする代わりに、SOURCE から TARGET への中断されたジョブが状態ディレクトリに残したチェックポイントから再開する（チェックポイントがない場合や別のジョブのものである場合は規則 resume mismatch）</translation>
    </message>
    <message>
        <source>keep no checkpoint: an interrupted job starts again from zero</source>
        <translation>チェックポイントを保存しない: 中断されたジョブは最初からやり直しになる</translation>
    </message>
    <message>
        <source>commit a checkpoint every SECONDS seconds (default 5, from 0.1 to 3600)</source>
        <translation>SECONDS 秒ごとにチェックポイントを確定する（既定 5、0.1 から 3600 まで）</translation>
    </message>
    <message>
        <source>--state-dir: a directory, not empty</source>
        <translation>--state-dir: 空ではないディレクトリを指定してください</translation>
    </message>
    <message>
        <source>--checkpoint-interval: seconds from 0.1 to 3600, not &apos;%1&apos;</source>
        <translation>--checkpoint-interval: 0.1 から 3600 までの秒数を指定してください（&apos;%1&apos; は不可）</translation>
    </message>
    <message>
        <source>the copy can go on from where it stopped: run the same command with --resume (checkpoint %1)</source>
        <translation>コピーは中断したところから再開できます: 同じコマンドを --resume 付きで実行してください（チェックポイント %1）</translation>
    </message>
    <message>
        <source>A job killed, or ended by a signal or a failing disk, keeps its last checkpoint, and its TARGET stays (also a file the job created); one you cancel or that completes does not. mirror ... --resume trusts the checkpoint as it is only when SOURCE is offline and provably unchanged since (an image with the same inode, size and change times; a disk in the same boot with the same write counters); otherwise it reads SOURCE once, compares it with hashes of what TARGET got, and copies again what differs. jobs lists the interrupted jobs of a state directory, newest first, with the command that goes on; jobs --discard ID removes one&apos;s files (not its TARGET). map export ID writes a job&apos;s map as a GNU ddrescue mapfile (to FILE, or stdout): what is in sync is finished, the rest non-tried, what SOURCE could not be read bad.</source>
        <translation>kill されたジョブ、またはシグナルや故障したディスクで終了したジョブは最後のチェックポイントを残し、その TARGET も残ります（ジョブが作成したファイルも同様）。キャンセルしたジョブや完了したジョブは残しません。mirror ... --resume は、SOURCE がオフラインでそれ以降変更されていないことが確実な場合（同じ inode・サイズ・変更時刻のイメージ、同じ起動中で書き込みカウンタが同じディスク）に限りチェックポイントをそのまま信頼します。それ以外の場合は SOURCE を一度読み、TARGET に書かれた内容のハッシュと比較して、異なる部分を再びコピーします。jobs は状態ディレクトリ内の中断されたジョブを新しい順に、再開するコマンドとともに一覧表示します。jobs --discard ID はそのファイルを削除します（TARGET は削除しません）。map export ID はジョブのマップを GNU ddrescue のマップファイルとして（FILE または標準出力へ）書き出します: 同期済みの部分は finished、残りは non-tried、SOURCE から読めなかった部分は bad です。</translation>
    </message>
    <message>
        <source>state:</source>
        <translation>状態:</translation>
    </message>
    <message>
        <source>running now (in another process)</source>
        <translation>実行中(別のプロセス)</translation>
    </message>
    <message>
        <source>jobs --discard: %1 is running now; cancel it first</source>
        <translation>jobs --discard: %1 は実行中です。先に取り消してください</translation>
    </message>
    <message>
        <source>serve: one image or disk, not also %1</source>
        <translation>serve: イメージまたはディスクは 1 つだけです（%1 は余分です）</translation>
    </message>
    <message>
        <source>serve: %1 given twice</source>
        <translation>serve: %1 が 2 回指定されています</translation>
    </message>
    <message>
        <source>serve: unknown option or missing value: %1 (see --help)</source>
        <translation>serve: 不明なオプションまたは値の欠落: %1（--help を参照）</translation>
    </message>
    <message>
        <source>serve needs an image or disk to export (see --help)</source>
        <translation>serve には公開するイメージまたはディスクが必要です（--help を参照）</translation>
    </message>
    <message>
        <source>serve: --overwrite %1 is not the disk served (%2)</source>
        <translation>serve: --overwrite %1 は公開するディスク（%2）ではありません</translation>
    </message>
    <message>
        <source>serve: --overwrite with --read-only: nothing is written</source>
        <translation>serve: --overwrite と --read-only の併用: 何も書き込まれません</translation>
    </message>
    <message>
        <source>serve: --export %1: a name without /, ? or #</source>
        <translation>serve: --export %1: /、?、# を含まない名前にしてください</translation>
    </message>
    <message>
        <source>serving %1 (%2) read-only; Ctrl-C stops it</source>
        <translation>%1（%2）を読み取り専用で公開中。Ctrl-C で停止します</translation>
    </message>
    <message>
        <source>serving %1 (%2) writable; Ctrl-C stops it</source>
        <translation>%1（%2）を書き込み可能で公開中。Ctrl-C で停止します</translation>
    </message>
    <message>
        <source>refusing to serve %1 writable over TCP without TLS: anyone who reaches port %2 could overwrite it (add --tls-psk FILE, or --insecure on a network you trust)</source>
        <translation>%1 を TLS なしの TCP で書き込み可能として公開することは拒否しました: ポート %2 に到達できる誰でも上書きできます（--tls-psk FILE を指定するか、信頼できるネットワークでは --insecure を指定してください）</translation>
    </message>
    <message>
        <source>serve %1 ended: %2</source>
        <translation>%1 の公開が終了しました: %2</translation>
    </message>
    <message>
        <source>serve exports PATH (an image or a disk) over NBD, for a client on another machine (qemu-img, nbdcopy, a virtual machine), through qemu-nbd, until SIGINT or SIGTERM. It prints the URI to connect to: by default a unix socket in the runtime directory; --listen tcp:0.0.0.0:10809 serves the network. --read-only applies a source&apos;s rules and refuses writes; otherwise a target&apos;s: not mounted, not in use, not the system disk, and a disk holding data only with --overwrite PATH. --tls-psk FILE (USERNAME:HEXKEY lines, as psktool writes them) requires TLS; writable over TCP without it is refused unless --insecure. The export is named after PATH&apos;s last component unless --export NAME. Exit codes: 0 stopped by a signal; 1 qemu-nbd ended by itself; 2 refused, nothing served.</source>
        <translation>serve は PATH（イメージまたはディスク）を qemu-nbd により NBD で公開し、別のマシンのクライアント（qemu-img、nbdcopy、仮想マシン）から使えるようにします。SIGINT または SIGTERM まで動作します。接続用の URI を表示します: 既定ではランタイムディレクトリの Unix ソケット、--listen tcp:0.0.0.0:10809 でネットワークに公開します。--read-only はソースの規則を適用し、書き込みを拒否します。それ以外はターゲットの規則を適用します: マウントされていない、使用中でない、システムディスクでない、データのあるディスクは --overwrite PATH がある場合のみ。--tls-psk FILE（psktool が書く形式の USERNAME:HEXKEY 行）は TLS を必須にします。TLS なしの TCP で書き込み可能な公開は --insecure がない限り拒否されます。公開名は --export NAME がなければ PATH の最後の要素です。終了コード: 0 シグナルで停止、1 qemu-nbd が自ら終了、2 拒否され何も公開していない。</translation>
    </message>
    <message>
        <source>SOURCE and TARGET can be NBD exports: nbd://HOST[:PORT]/EXPORT, nbd+unix:///EXPORT?socket=PATH, or nbds:// and nbds+unix:// with TLS (nbds://USER@HOST/EXPORT?tls-psk-file=FILE). A TARGET export must exist and be at least as large as SOURCE; a read-only one is refused, and one whose first or last megabyte holds data only with --overwrite URI. A bad URI, an unreachable server or a wrong key: exit code 2, nothing written.</source>
        <translation>SOURCE と TARGET には NBD エクスポートも指定できます: nbd://HOST[:PORT]/EXPORT、nbd+unix:///EXPORT?socket=PATH、TLS では nbds:// と nbds+unix://(nbds://USER@HOST/EXPORT?tls-psk-file=FILE)。TARGET のエクスポートは既に存在し、SOURCE 以上の大きさが必要です。読み取り専用のものは拒否され、先頭または末尾の 1 MB にデータがあるものは --overwrite URI を指定した場合のみ受け付けます。不正な URI、到達できないサーバー、誤った鍵: 終了コード 2、何も書き込みません。</translation>
    </message>
    <message>
        <source>%1: raw, qcow2, vmdk, vhdx or vdi, not &apos;%2&apos;</source>
        <translation>%1: raw、qcow2、vmdk、vhdx、vdi のいずれか (&apos;%2&apos; は不可)</translation>
    </message>
    <message>
        <source>TARGET&apos;s image format: raw, qcow2, vmdk, vhdx or vdi (default: by TARGET&apos;s extension, .qcow2 .vmdk .vhdx .vdi; raw for any other name)</source>
        <translation>TARGET のイメージ形式: raw、qcow2、vmdk、vhdx、vdi (既定: TARGET の拡張子 .qcow2 .vmdk .vhdx .vdi による。それ以外の名前は raw)</translation>
    </message>
    <message>
        <source>the same for SOURCE</source>
        <translation>SOURCE について同じ</translation>
    </message>
    <message>
        <source>a new qcow2 TARGET reads what the job does not write from FILE (default: none; with --sync top from a qcow2 that has one, SOURCE&apos;s backing file)</source>
        <translation>新しい qcow2 の TARGET は、ジョブが書き込まない部分を FILE から読む (既定: なし。バッキングファイルを持つ qcow2 から --sync top のときは SOURCE のバッキングファイル)</translation>
    </message>
    <message>
        <source>write a new qcow2 TARGET compressed; refused for a live SOURCE, whose changes would rewrite compressed clusters</source>
        <translation>新しい qcow2 の TARGET を圧縮して書き込む。ライブの SOURCE では拒否 (変更が圧縮済みクラスタを書き直すため)</translation>
    </message>
    <message>
        <source>Image formats: a SOURCE or TARGET named .qcow2, .vmdk, .vhdx or .vdi (or given --format / --source-format) is its virtual disk, read and written through a qemu-nbd of the job&apos;s own on a private socket; the file must carry that format (rule: image format mismatch). A new one is made with qemu-img create, the size of SOURCE. --sync top from a qcow2 copies its top layer alone (qemu:allocation-depth), and a new qcow2 TARGET gets SOURCE&apos;s backing file. An image that a virtual machine has open is refused: QEMU&apos;s locks.</source>
        <translation>イメージ形式: 名前が .qcow2、.vmdk、.vhdx、.vdi の SOURCE または TARGET (または --format / --source-format で指定) は、その仮想ディスクです。ジョブ専用の qemu-nbd をプライベートなソケットで起動して読み書きします。ファイルはその形式である必要があります (rule: image format mismatch)。新しいものは qemu-img create で SOURCE と同じ大きさに作られます。qcow2 からの --sync top は最上位レイヤーだけをコピーし (qemu:allocation-depth)、新しい qcow2 の TARGET は SOURCE のバッキングファイルを引き継ぎます。仮想マシンが開いているイメージは拒否されます (QEMU のロック)。</translation>
    </message>
    <message>
        <source>--backing: an image file, not empty</source>
        <translation>--backing: イメージファイルを指定 (空は不可)</translation>
    </message>
    <message>
        <source>how long to wait for an NBD export whose connection was lost: the job connects again and copies on, and what the server had not flushed is copied again (default 60, 0 = fail at once; --resume goes on after longer outages)</source>
        <translation>接続が切れた NBD エクスポートを待つ時間: ジョブは再接続してコピーを続け、サーバーがフラッシュしていなかった部分は再びコピーします（既定 60、0 = すぐに失敗。これより長い停止の後は --resume で再開します）</translation>
    </message>
    <message>
        <source>--reconnect-timeout: whole seconds from 0 to 86400, not &apos;%1&apos;</source>
        <translation>--reconnect-timeout: 0 から 86400 までの整数の秒数を指定してください（&apos;%1&apos; は不可）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Clone disks and image files and keep the copy in sync while the source is in use.</source>
        <translation>ディスクとイメージファイルを複製し、ソースの使用中もコピーを同期し続けます。</translation>
    </message>
    <message>
        <source>Mirror a demo image that a writer keeps changing.</source>
        <translation>書き込みが続くデモイメージをミラーします。</translation>
    </message>
    <message>
        <source>Where the demo images go (default: the cache).</source>
        <translation>デモイメージの保存先（既定: キャッシュ）。</translation>
    </message>
    <message>
        <source>Size of the demo source image (default: 1G).</source>
        <translation>デモ用ソースイメージのサイズ（既定: 1G）。</translation>
    </message>
    <message>
        <source>With --demo: start the mirror at once.</source>
        <translation>--demo と併用: ミラーをすぐに開始します。</translation>
    </message>
    <message>
        <source>With --demo: complete this many seconds after READY.</source>
        <translation>--demo と併用: READY になってから指定秒数後に完了します。</translation>
    </message>
    <message>
        <source>With --demo: quit this many seconds after the job ended (exit code 0 when it completed identical).</source>
        <translation>--demo と併用: ジョブ終了から指定秒数後に終了します（同一の状態で完了した場合は終了コード 0）。</translation>
    </message>
    <message>
        <source>With --demo: save the window as PNG while in sync.</source>
        <translation>--demo と併用: 同期中のウィンドウを PNG として保存します。</translation>
    </message>
    <message>
        <source>When to take the screenshot: &quot;ready&quot; (default, before --autocomplete) or &quot;copying&quot; (the first copy half done).</source>
        <translation>スクリーンショットを撮るタイミング: &quot;ready&quot;（既定、--autocomplete の前）または &quot;copying&quot;（最初のコピーが半分終わった時点）。</translation>
    </message>
    <message>
        <source>Show debug messages in the log.</source>
        <translation>ログにデバッグメッセージを表示します。</translation>
    </message>
    <message>
        <source>Demo Not Available</source>
        <translation>デモを利用できません</translation>
    </message>
    <message>
        <source>The demo images could not be created.</source>
        <translation>デモイメージを作成できませんでした。</translation>
    </message>
    <message>
        <source>Open the imaging station&apos;s window for this config file instead of the main window.</source>
        <translation>メインウィンドウの代わりに、この設定ファイルのイメージングステーションのウィンドウを開きます。</translation>
    </message>
</context>
<context>
    <name>ui::ConfirmStartDialog</name>
    <message>
        <source>Create Target and Start?</source>
        <translation>ターゲットを作成して開始しますか？</translation>
    </message>
    <message>
        <source>Overwrite Target?</source>
        <translation>ターゲットを上書きしますか？</translation>
    </message>
    <message>
        <source>A new image file will be created and kept in sync with the source:</source>
        <translation>新しいイメージファイルを作成し、ソースと同期し続けます:</translation>
    </message>
    <message>
        <source>Everything on this target will be overwritten:</source>
        <translation>このターゲット上のすべてが上書きされます:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>モデル:</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>サイズ:</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 バイト）</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>パス:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>種類:</translation>
    </message>
    <message>
        <source>partitions %1</source>
        <translation>パーティション %1</translation>
    </message>
    <message>
        <source>one partition, listed below</source>
        <translation>1 個のパーティション（下に一覧表示）</translation>
    </message>
    <message>
        <source>%1 partitions, listed below</source>
        <translation>%1 個のパーティション（下に一覧表示）</translation>
    </message>
    <message>
        <source>a %1 file system</source>
        <translation>%1 ファイルシステム</translation>
    </message>
    <message>
        <source>no partition table or file system found</source>
        <translation>パーティションテーブルもファイルシステムも見つかりません</translation>
    </message>
    <message>
        <source>unknown (its first sectors could not be read)</source>
        <translation>不明（先頭セクタを読み取れませんでした）</translation>
    </message>
    <message>
        <source>Holds:</source>
        <translation>内容:</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>ラベル:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>ソース:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Partitions that will be overwritten</source>
        <translation>上書きされるパーティション</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>パーティション</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>File system</source>
        <translation>ファイルシステム</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Mounted at</source>
        <translation>マウント先</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>This device holds data that will be lost. To confirm, type its name &lt;b&gt;%1&lt;/b&gt;:</source>
        <translation>このデバイスには失われるデータがあります。確認のため、デバイス名 &lt;b&gt;%1&lt;/b&gt; を入力してください:</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>デバイス名</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>この操作は元に戻せません。</translation>
    </message>
    <message>
        <source>Create and Start</source>
        <translation>作成して開始</translation>
    </message>
    <message>
        <source>Overwrite and Start</source>
        <translation>上書きして開始</translation>
    </message>
    <message>
        <source>This target will be overwritten up to the source&apos;s size:</source>
        <translation>このターゲットはソースのサイズ分まで上書きされます:</translation>
    </message>
    <message>
        <source>Past the source&apos;s end:</source>
        <translation>ソースの末尾より後ろ:</translation>
    </message>
    <message>
        <source>%1 of the target lie past the source&apos;s end. They will be cleared, so nothing of the old data stays there.</source>
        <translation>ターゲットの %1 がソースの末尾より後ろにあります。この部分は消去されるため、古いデータは何も残りません。</translation>
    </message>
    <message>
        <source>%1 of the target lie past the source&apos;s end. They are kept as they are and not compared: the old data there stays readable. To clear them, check “Clear the target past the source&apos;s end” in the settings.</source>
        <translation>ターゲットの %1 がソースの末尾より後ろにあります。この部分はそのまま残され、比較もされないため、古いデータは読み取れる状態のままです。消去するには、設定で「ソースの末尾より後ろのターゲットを消去」をオンにしてください。</translation>
    </message>
    <message>
        <source>Type the name &lt;b&gt;%1&lt;/b&gt; to overwrite this device, or press Esc to keep it.</source>
        <translation>このデバイスを上書きするには名前 &lt;b&gt;%1&lt;/b&gt; を入力してください。残す場合は Esc を押してください。</translation>
    </message>
    <message>
        <source>“%1” is not the name of this device: type &lt;b&gt;%2&lt;/b&gt; exactly to overwrite it, or press Esc to keep it.</source>
        <translation>「%1」はこのデバイスの名前ではありません。上書きするには &lt;b&gt;%2&lt;/b&gt; を正確に入力してください。残す場合は Esc を押してください。</translation>
    </message>
    <message>
        <source>Resume the Interrupted Copy?</source>
        <translation>中断されたコピーを再開しますか？</translation>
    </message>
    <message>
        <source>Resume Copy</source>
        <translation>コピーを再開</translation>
    </message>
    <message>
        <source>The interrupted copy to this target will be resumed: what it lacks, and what changed on the source since, will be overwritten:</source>
        <translation>このターゲットへの中断されたコピーを再開します。足りない部分と、その後ソースで変更された部分が上書きされます:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>サーバー:</translation>
    </message>
    <message>
        <source>URI:</source>
        <translation>URI:</translation>
    </message>
    <message>
        <source>This export holds data that will be lost. To confirm, type its name &lt;b&gt;%1&lt;/b&gt;:</source>
        <translation>このエクスポートには失われるデータがあります。確認のため、名前 &lt;b&gt;%1&lt;/b&gt; を入力してください:</translation>
    </message>
    <message>
        <source>Export name</source>
        <translation>エクスポート名</translation>
    </message>
    <message>
        <source>Type the name &lt;b&gt;%1&lt;/b&gt; to overwrite this export, or press Esc to keep it.</source>
        <translation>このエクスポートを上書きするには名前 &lt;b&gt;%1&lt;/b&gt; を入力してください。残す場合は Esc を押してください。</translation>
    </message>
    <message>
        <source>“%1” is not the name of this export: type &lt;b&gt;%2&lt;/b&gt; exactly to overwrite it, or press Esc to keep it.</source>
        <translation>「%1」はこのエクスポートの名前ではありません: 上書きするには &lt;b&gt;%2&lt;/b&gt; を正確に入力してください。残す場合は Esc を押してください。</translation>
    </message>
</context>
<context>
    <name>ui::DemoDriver</name>
    <message>
        <source>Preparing the demo images…</source>
        <translation>デモイメージを準備しています…</translation>
    </message>
</context>
<context>
    <name>ui::DeviceFilterModel</name>
    <message>
        <source>Cannot be the source: %1
(%2)

%3</source>
        <translation>ソースにできません: %1
（%2）

%3</translation>
    </message>
    <message>
        <source>Cannot be the target: %1
(%2)

%3</source>
        <translation>ターゲットにできません: %1
（%2）

%3</translation>
    </message>
    <message>
        <source>Live source: while it is mirrored, writes to it are tracked; Complete freezes %1 for a moment for the final copy.

%2</source>
        <translation>ライブソース: ミラー中はこのソースへの書き込みが追跡されます。「完了」では最終コピーのために %1 を一時的にフリーズします。

%2</translation>
    </message>
    <message>
        <source>Live · %1</source>
        <translation>ライブ · %1</translation>
    </message>
</context>
<context>
    <name>ui::DeviceListModel</name>
    <message>
        <source>“%1”</source>
        <translation>「%1」</translation>
    </message>
    <message>
        <source>MBR</source>
        <translation>MBR</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>ディスク</translation>
    </message>
    <message>
        <source>SSD</source>
        <translation>SSD</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>パーティション</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>SD card</source>
        <translation>SD カード</translation>
    </message>
    <message>
        <source>Virtual</source>
        <translation>仮想</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>ループ</translation>
    </message>
    <message>
        <source>New image</source>
        <translation>新規イメージ</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>イメージ</translation>
    </message>
    <message>
        <source>Mounted at %1</source>
        <translation>%1 にマウント</translation>
    </message>
    <message>
        <source>Mounted at %1 (+%2)</source>
        <translation>%1 にマウント（+%2）</translation>
    </message>
    <message>
        <source>Partition mounted at %1</source>
        <translation>パーティションを %1 にマウント</translation>
    </message>
    <message>
        <source>Partitions mounted at %1 (+%2)</source>
        <translation>パーティションを %1 にマウント（+%2）</translation>
    </message>
    <message>
        <source>In use as swap</source>
        <translation>スワップとして使用中</translation>
    </message>
    <message>
        <source>In use by %1</source>
        <translation>%1 が使用中</translation>
    </message>
    <message>
        <source>Created at start</source>
        <translation>開始時に作成</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Not mounted</source>
        <translation>未マウント</translation>
    </message>
    <message>
        <source>Not mounted · %1</source>
        <translation>未マウント · %1</translation>
    </message>
    <message>
        <source>%1 (as source)</source>
        <translation>%1（ソースと同じ）</translation>
    </message>
    <message>
        <source>As source</source>
        <translation>ソースと同じ</translation>
    </message>
    <message>
        <source>Serial: %1</source>
        <translation>シリアル番号: %1</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 バイト）</translation>
    </message>
    <message>
        <source>Kind: %1</source>
        <translation>種類: %1</translation>
    </message>
    <message>
        <source>Holds: %1</source>
        <translation>内容: %1</translation>
    </message>
    <message>
        <source>Partitions: %1</source>
        <translation>パーティション: %1</translation>
    </message>
    <message>
        <source>Mounted at: %1</source>
        <translation>マウント先: %1</translation>
    </message>
    <message>
        <source>Held by: %1</source>
        <translation>使用元: %1</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>読み取り専用</translation>
    </message>
    <message>
        <source>Identity: %1</source>
        <translation>識別子: %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>接続できません</translation>
    </message>
    <message>
        <source>Writable</source>
        <translation>書き込み可能</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>このマシン</translation>
    </message>
    <message>
        <source>NBD export on %1, TLS</source>
        <translation>%1 上の NBD エクスポート、TLS</translation>
    </message>
    <message>
        <source>NBD export on %1</source>
        <translation>%1 上の NBD エクスポート</translation>
    </message>
    <message>
        <source>Connecting to its server…</source>
        <translation>サーバーに接続中…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>接続できません: %1</translation>
    </message>
</context>
<context>
    <name>ui::DevicePane</name>
    <message>
        <source>Add Image…</source>
        <translation>イメージを追加…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <source>&lt;b&gt;Source&lt;/b&gt;: what is copied</source>
        <translation>&lt;b&gt;ソース&lt;/b&gt;: コピー元</translation>
    </message>
    <message>
        <source>&lt;b&gt;Target&lt;/b&gt;: what is overwritten</source>
        <translation>&lt;b&gt;ターゲット&lt;/b&gt;: 上書きされる側</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>ソース</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Add image files to mirror from (you can also drop files here).</source>
        <translation>ミラー元のイメージファイルを追加します（ここにファイルをドロップすることもできます）。</translation>
    </message>
    <message>
        <source>Add existing image files to overwrite (you can also drop files here).</source>
        <translation>上書きする既存のイメージファイルを追加します（ここにファイルをドロップすることもできます）。</translation>
    </message>
    <message>
        <source>Read the list of disks again.</source>
        <translation>ディスクの一覧を読み込み直します。</translation>
    </message>
    <message>
        <source>New Image File…</source>
        <translation>新規イメージファイル…</translation>
    </message>
    <message>
        <source>Create a new sparse image file of the source&apos;s size as target.</source>
        <translation>ソースと同じサイズの新しいスパースイメージファイルをターゲットとして作成します。</translation>
    </message>
    <message>
        <source>Add Source Image Files</source>
        <translation>ソースイメージファイルを追加</translation>
    </message>
    <message>
        <source>Add Target Image Files</source>
        <translation>ターゲットイメージファイルを追加</translation>
    </message>
    <message>
        <source>Disk images (*.img *.raw *.iso *.bin *.dd)</source>
        <translation>ディスクイメージ (*.img *.raw *.iso *.bin *.dd)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>New Image File</source>
        <translation>新規イメージファイル</translation>
    </message>
    <message>
        <source>Disk images (*.img)</source>
        <translation>ディスクイメージ (*.img)</translation>
    </message>
    <message>
        <source>Add NBD Export…</source>
        <translation>NBD エクスポートを追加…</translation>
    </message>
    <message>
        <source>Add an export of an NBD server (nbd://, nbd+unix://, nbds://) as a target: a disk or image on another machine.</source>
        <translation>NBD サーバーのエクスポート (nbd://、nbd+unix://、nbds://) をターゲットとして追加します: 別のマシンにあるディスクやイメージです。</translation>
    </message>
    <message>
        <source>Add an export of an NBD server (nbd://, nbd+unix://, nbds://) to mirror from: a disk or image on another machine.</source>
        <translation>NBD サーバーのエクスポート (nbd://、nbd+unix://、nbds://) をミラー元として追加します: 別のマシン上のディスクまたはイメージ。</translation>
    </message>
</context>
<context>
    <name>ui::DirtyMapLegend</name>
    <message>
        <source>In sync</source>
        <translation>同期済み</translation>
    </message>
    <message>
        <source>Source and target agree in this range.</source>
        <translation>この範囲ではソースとターゲットが一致しています。</translation>
    </message>
    <message>
        <source>To copy</source>
        <translation>コピー待ち</translation>
    </message>
    <message>
        <source>darker = more</source>
        <translation>濃いほど多い</translation>
    </message>
    <message>
        <source>Part of this range still has to be copied; the darker, the more.</source>
        <translation>この範囲の一部はまだコピーが必要です。色が濃いほど量が多くなります。</translation>
    </message>
    <message>
        <source>Being copied</source>
        <translation>コピー中</translation>
    </message>
    <message>
        <source>A copy request for this range is in flight.</source>
        <translation>この範囲のコピー要求を処理中です。</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>読み取り不能</translation>
    </message>
    <message>
        <source>The source could not be read here; zeroes were written instead.</source>
        <translation>ここではソースを読み取れなかったため、代わりにゼロを書き込みました。</translation>
    </message>
    <message>
        <source>%1 cells of %2 each over %3; copied in granules of %4.</source>
        <translation>%3 を %2 ずつの %1 セルで表示。%4 単位でコピーします。</translation>
    </message>
</context>
<context>
    <name>ui::DirtyMapWidget</name>
    <message>
        <source>The dirty map appears when a mirror starts.</source>
        <translation>ダーティマップはミラーの開始時に表示されます。</translation>
    </message>
    <message>
        <source>In sync</source>
        <translation>同期済み</translation>
    </message>
    <message>
        <source>All to copy</source>
        <translation>すべてコピー待ち</translation>
    </message>
    <message>
        <source>%1 to copy</source>
        <translation>コピー待ち %1</translation>
    </message>
    <message>
        <source>Being copied</source>
        <translation>コピー中</translation>
    </message>
    <message>
        <source>Contains unreadable sectors (copied as zeroes)</source>
        <translation>読み取り不能なセクタを含みます（ゼロとしてコピー）</translation>
    </message>
    <message>
        <source>%1 – %2 (%3)
Bytes %4 to %5
%6</source>
        <translation>%1 – %2（%3）
バイト %4 ～ %5
%6</translation>
    </message>
</context>
<context>
    <name>ui::ErrorText</name>
    <message>
        <source>The source and the target are the same storage.</source>
        <translation>ソースとターゲットが同じストレージです。</translation>
    </message>
    <message>
        <source>Choose a different target.</source>
        <translation>別のターゲットを選択してください。</translation>
    </message>
    <message>
        <source>The target and the source are parts of the same disk.</source>
        <translation>ターゲットとソースが同じディスク上にあります。</translation>
    </message>
    <message>
        <source>Choose a target on another disk.</source>
        <translation>別のディスク上のターゲットを選択してください。</translation>
    </message>
    <message>
        <source>The target holds the file system of the running system.</source>
        <translation>ターゲットには実行中のシステムのファイルシステムがあります。</translation>
    </message>
    <message>
        <source>Choose another disk. The running system cannot be overwritten.</source>
        <translation>別のディスクを選択してください。実行中のシステムは上書きできません。</translation>
    </message>
    <message>
        <source>The target (or one of its partitions) is mounted.</source>
        <translation>ターゲット（またはそのパーティションのいずれか）がマウントされています。</translation>
    </message>
    <message>
        <source>Unmount all its file systems first, then try again.</source>
        <translation>すべてのファイルシステムをアンマウントしてから、もう一度実行してください。</translation>
    </message>
    <message>
        <source>The target is in use by the system (swap, LVM, RAID, encryption or another program).</source>
        <translation>ターゲットはシステムで使用中です（スワップ、LVM、RAID、暗号化、または別のプログラム）。</translation>
    </message>
    <message>
        <source>Stop using it (for example swapoff, deactivate the volume group or close the program), then try again.</source>
        <translation>使用を停止してから（例: swapoff、ボリュームグループの無効化、プログラムの終了）、もう一度実行してください。</translation>
    </message>
    <message>
        <source>The target is read-only.</source>
        <translation>ターゲットは読み取り専用です。</translation>
    </message>
    <message>
        <source>Choose another target, or make this one writable if you are sure it may be overwritten.</source>
        <translation>別のターゲットを選択するか、上書きしてよいことが確かな場合はこのターゲットを書き込み可能にしてください。</translation>
    </message>
    <message>
        <source>The target is smaller than the source.</source>
        <translation>ターゲットがソースより小さいです。</translation>
    </message>
    <message>
        <source>Choose a target that is at least as large as the source.</source>
        <translation>ソース以上のサイズのターゲットを選択してください。</translation>
    </message>
    <message>
        <source>Start again and type the device name to confirm, or choose another target.</source>
        <translation>もう一度開始してデバイス名を入力して確認するか、別のターゲットを選択してください。</translation>
    </message>
    <message>
        <source>The target is no longer the disk you chose: it was removed, replaced or renamed since.</source>
        <translation>ターゲットは選択したディスクではなくなりました。その後、取り外し、交換、または名前の変更が行われました。</translation>
    </message>
    <message>
        <source>Check which disk is connected, then choose the target again.</source>
        <translation>接続されているディスクを確認してから、ターゲットを選択し直してください。</translation>
    </message>
    <message>
        <source>Disks and partitions can only be used with administrator rights.</source>
        <translation>ディスクとパーティションは管理者権限がある場合にのみ使用できます。</translation>
    </message>
    <message>
        <source>You do not have permission for this file or folder.</source>
        <translation>このファイルまたはフォルダーへのアクセス権がありません。</translation>
    </message>
    <message>
        <source>Choose a location you may write to, or change the permissions.</source>
        <translation>書き込み可能な場所を選択するか、アクセス権を変更してください。</translation>
    </message>
    <message>
        <source>The file or device does not exist (any more).</source>
        <translation>ファイルまたはデバイスが存在しません（削除された可能性があります）。</translation>
    </message>
    <message>
        <source>Refresh the lists and choose again.</source>
        <translation>一覧を再読み込みして、選択し直してください。</translation>
    </message>
    <message>
        <source>Access was denied.</source>
        <translation>アクセスが拒否されました。</translation>
    </message>
    <message>
        <source>Check the permissions, or start DriveMirror as administrator for block devices.</source>
        <translation>アクセス権を確認するか、ブロックデバイスを使う場合は DriveMirror を管理者として起動してください。</translation>
    </message>
    <message>
        <source>The device is busy: it is mounted or used by another program.</source>
        <translation>デバイスはビジー状態です。マウントされているか、別のプログラムが使用しています。</translation>
    </message>
    <message>
        <source>Unmount it or close the program that uses it, then try again.</source>
        <translation>アンマウントするか使用中のプログラムを終了してから、もう一度実行してください。</translation>
    </message>
    <message>
        <source>The target cannot be written: it is read-only.</source>
        <translation>ターゲットに書き込めません。読み取り専用です。</translation>
    </message>
    <message>
        <source>Choose a writable target.</source>
        <translation>書き込み可能なターゲットを選択してください。</translation>
    </message>
    <message>
        <source>There is not enough space.</source>
        <translation>空き容量が不足しています。</translation>
    </message>
    <message>
        <source>Free space on the target&apos;s file system, or choose a larger target.</source>
        <translation>ターゲットのファイルシステムの空き容量を増やすか、より大きなターゲットを選択してください。</translation>
    </message>
    <message>
        <source>A read or write failed with an input/output error: the disk or its connection may be failing.</source>
        <translation>読み取りまたは書き込みが入出力エラーで失敗しました。ディスクまたはその接続に障害がある可能性があります。</translation>
    </message>
    <message>
        <source>Check the cable and the disk&apos;s health. To rescue what can be read, set the source error policy to &quot;Ignore&quot; and start again.</source>
        <translation>ケーブルとディスクの状態を確認してください。読み取れるデータを救出するには、ソースのエラー処理を「無視」に設定して、もう一度開始してください。</translation>
    </message>
    <message>
        <source>A setting or the chosen storage is not valid for this job.</source>
        <translation>設定または選択したストレージがこのジョブには無効です。</translation>
    </message>
    <message>
        <source>Check the job settings (granularity, buffer size) and the chosen source and target.</source>
        <translation>ジョブの設定（粒度、バッファサイズ）と、選択したソースおよびターゲットを確認してください。</translation>
    </message>
    <message>
        <source>There is not enough memory for the copy buffers.</source>
        <translation>コピーバッファ用のメモリが不足しています。</translation>
    </message>
    <message>
        <source>Choose a smaller buffer size.</source>
        <translation>より小さいバッファサイズを選択してください。</translation>
    </message>
    <message>
        <source>The kernel lacks a feature the copy needs (io_uring).</source>
        <translation>コピーに必要なカーネル機能（io_uring）がありません。</translation>
    </message>
    <message>
        <source>Use a kernel with io_uring enabled (Linux 5.6 or later).</source>
        <translation>io_uring が有効なカーネル（Linux 5.6 以降）を使用してください。</translation>
    </message>
    <message>
        <source>The operation failed.</source>
        <translation>操作に失敗しました。</translation>
    </message>
    <message>
        <source>See the details and the log for more information.</source>
        <translation>詳細とログで詳しい情報を確認してください。</translation>
    </message>
    <message>
        <source>Install pkexec so that DriveMirror can ask for administrator rights, or mirror image files instead.</source>
        <translation>DriveMirror が管理者権限を要求できるように pkexec をインストールするか、代わりにイメージファイルをミラーしてください。</translation>
    </message>
    <message>
        <source>Administrator authentication was cancelled or refused, so the disks could not be opened.</source>
        <translation>管理者認証がキャンセルまたは拒否されたため、ディスクを開けませんでした。</translation>
    </message>
    <message>
        <source>Start again and authenticate as an administrator when asked, or mirror image files instead.</source>
        <translation>もう一度開始して、求められたら管理者として認証するか、代わりにイメージファイルをミラーしてください。</translation>
    </message>
    <message>
        <source>The target file is no longer the one you confirmed: another program replaced, truncated, moved or created it since.</source>
        <translation>ターゲットファイルは確認したものではなくなりました。その後、別のプログラムによって置き換え、切り詰め、移動、または作成が行われました。</translation>
    </message>
    <message>
        <source>Check what else writes to that folder, then choose the target again.</source>
        <translation>そのフォルダーにほかに何が書き込んでいるかを確認してから、ターゲットを選択し直してください。</translation>
    </message>
    <message>
        <source>The target holds data (a partition table, a file system or partitions, or a start that cannot be read), and overwriting it was not confirmed.</source>
        <translation>ターゲットにはデータ（パーティションテーブル、ファイルシステム、パーティション、または読み取れない先頭部分）があり、上書きが確認されていません。</translation>
    </message>
    <message>
        <source>With administrator rights, DriveMirror reads and writes image files only as you: you may not use this file or create one in this folder yourself.</source>
        <translation>管理者権限で実行していても、DriveMirror はイメージファイルをあなた自身の権限でのみ読み書きします。あなたはこのファイルを使用できないか、このフォルダーにファイルを作成できません。</translation>
    </message>
    <message>
        <source>Choose an image file, or a folder for the new one, that is yours.</source>
        <translation>あなたが所有するイメージファイル、または新しいファイル用のフォルダーを選んでください。</translation>
    </message>
    <message>
        <source>The path leads through a symbolic link that belongs to another user, who could point it at any disk.</source>
        <translation>このパスは別のユーザーが所有するシンボリックリンクを経由しており、そのユーザーはリンク先を任意のディスクに変えられます。</translation>
    </message>
    <message>
        <source>Choose the file or disk itself, not the link.</source>
        <translation>リンクではなく、ファイルまたはディスクそのものを選んでください。</translation>
    </message>
    <message>
        <source>A file system on the source is frozen already, by another program or by a run that was stopped, so the final copy could never freeze it.</source>
        <translation>ソースのファイルシステムは、別のプログラムまたは停止された実行によって既にフリーズされているため、最終コピーでフリーズできません。</translation>
    </message>
    <message>
        <source>Thaw it with the fsfreeze -u command named in the details, then start again.</source>
        <translation>詳細に示された fsfreeze -u コマンドでフリーズを解除してから、もう一度開始してください。</translation>
    </message>
    <message>
        <source>This job needs no administrator rights, so the helper with those rights does not run it.</source>
        <translation>このジョブには管理者権限が不要なため、管理者権限で動くヘルパーは実行しません。</translation>
    </message>
    <message>
        <source>Start it without administrator rights.</source>
        <translation>管理者権限なしで開始してください。</translation>
    </message>
    <message>
        <source>The NBD server could not be reached, or it did not answer or closed the connection.</source>
        <translation>NBD サーバーに到達できないか、応答がないか、接続が閉じられました。</translation>
    </message>
    <message>
        <source>Check the URI, that the server runs and that this machine can reach it (and the TLS key, for nbds://), then try again.</source>
        <translation>URI、サーバーが動作していること、このマシンから到達できること (nbds:// では TLS 鍵も) を確認してから、もう一度試してください。</translation>
    </message>
    <message>
        <source>The NBD export&apos;s server has not answered yet.</source>
        <translation>NBD エクスポートのサーバーがまだ応答していません。</translation>
    </message>
    <message>
        <source>Wait a moment: the list shows the export&apos;s size once its server answers.</source>
        <translation>しばらくお待ちください: サーバーが応答すると、一覧にエクスポートのサイズが表示されます。</translation>
    </message>
</context>
<context>
    <name>ui::Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 時間 %2 分</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>準備中</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>コピー中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Ready: in sync</source>
        <translation>準備完了: 同期済み</translation>
    </message>
    <message>
        <source>Paused while in sync</source>
        <translation>同期済みで一時停止中</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>完了処理中</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>停止中</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>a GPT partition table</source>
        <translation>GPT パーティションテーブル</translation>
    </message>
    <message>
        <source>a partition table (MBR)</source>
        <translation>パーティションテーブル（MBR）</translation>
    </message>
    <message>
        <source>an ext2/3/4 file system</source>
        <translation>ext2/3/4 ファイルシステム</translation>
    </message>
    <message>
        <source>an NTFS file system</source>
        <translation>NTFS ファイルシステム</translation>
    </message>
    <message>
        <source>a FAT file system</source>
        <translation>FAT ファイルシステム</translation>
    </message>
    <message>
        <source>an XFS file system</source>
        <translation>XFS ファイルシステム</translation>
    </message>
    <message>
        <source>a swap area</source>
        <translation>スワップ領域</translation>
    </message>
    <message>
        <source>an LVM physical volume</source>
        <translation>LVM 物理ボリューム</translation>
    </message>
    <message>
        <source>a LUKS encrypted volume</source>
        <translation>LUKS 暗号化ボリューム</translation>
    </message>
    <message>
        <source>a Btrfs file system</source>
        <translation>Btrfs ファイルシステム</translation>
    </message>
    <message>
        <source>an F2FS file system</source>
        <translation>F2FS ファイルシステム</translation>
    </message>
    <message>
        <source>an exFAT file system</source>
        <translation>exFAT ファイルシステム</translation>
    </message>
    <message>
        <source>a SquashFS file system</source>
        <translation>SquashFS ファイルシステム</translation>
    </message>
    <message>
        <source>an ISO 9660 file system</source>
        <translation>ISO 9660 ファイルシステム</translation>
    </message>
    <message>
        <source>a UDF file system</source>
        <translation>UDF ファイルシステム</translation>
    </message>
    <message>
        <source>a Linux RAID member</source>
        <translation>Linux RAID のメンバー</translation>
    </message>
    <message>
        <source>a ZFS pool member</source>
        <translation>ZFS プールのメンバー</translation>
    </message>
    <message>
        <source>a bcache device</source>
        <translation>bcache デバイス</translation>
    </message>
    <message>
        <source>a partition table (%1)</source>
        <translation>パーティションテーブル（%1）</translation>
    </message>
    <message>
        <source>a RAID or volume manager member (%1)</source>
        <translation>RAID またはボリュームマネージャーのメンバー（%1）</translation>
    </message>
    <message>
        <source>an encrypted volume (%1)</source>
        <translation>暗号化ボリューム（%1）</translation>
    </message>
    <message>
        <source>a %1 file system</source>
        <translation>%1 ファイルシステム</translation>
    </message>
    <message>
        <source>a %1 signature</source>
        <translation>%1 シグネチャ</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ミリ秒</translation>
    </message>
    <message>
        <source>measuring the disk&apos;s other I/O alone</source>
        <translation>ディスクのほかの I/O を単独で測定中</translation>
    </message>
    <message>
        <source>giving way to other I/O on the disk: %1 of full speed</source>
        <translation>ディスクのほかの I/O に譲っています: 全速の %1</translation>
    </message>
    <message>
        <source>raise the speed limit</source>
        <translation>速度制限を上げる</translation>
    </message>
    <message>
        <source>stop giving way to other I/O</source>
        <translation>ほかの I/O に譲るのをやめる</translation>
    </message>
    <message>
        <source>choose a finer granularity</source>
        <translation>より細かい粒度を選ぶ</translation>
    </message>
    <message>
        <source>complete now with a freeze of about %1</source>
        <translation>約 %1 のフリーズで今すぐ完了する</translation>
    </message>
    <message>
        <source>will not converge at this rate: the source dirties %1, the copy manages %2</source>
        <translation>この速度では収束しません: ソースの変更は %1、コピーは %2</translation>
    </message>
    <message>
        <source>%1; what helps: %2</source>
        <translation>%1。対策: %2</translation>
    </message>
    <message>
        <source>Complete freezes about %1</source>
        <translation>完了時のフリーズは約 %1</translation>
    </message>
    <message>
        <source>in sync in about %1</source>
        <translation>約 %1 で同期</translation>
    </message>
    <message>
        <source>%1, then %2</source>
        <translation>%1、その後 %2</translation>
    </message>
    <message>
        <source>connection to %1 lost %2 ago: connecting again (attempt %3, gives up after %4)</source>
        <translation>%1 への接続が %2 前に切れました: 再接続中（%3 回目の試行、%4 で断念）</translation>
    </message>
</context>
<context>
    <name>ui::JobController</name>
    <message>
        <source>A job is already running.</source>
        <translation>ジョブはすでに実行中です。</translation>
    </message>
    <message>
        <source>The job has not started yet.</source>
        <translation>ジョブはまだ開始されていません。</translation>
    </message>
</context>
<context>
    <name>ui::JobSettingsWidget</name>
    <message>
        <source>Copies the whole source, then keeps the target in sync.</source>
        <translation>ソース全体をコピーし、その後ターゲットを同期し続けます。</translation>
    </message>
    <message>
        <source>Copies only what the source has allocated; holes stay untouched on the target.</source>
        <translation>ソースで割り当て済みの部分だけをコピーします。未割り当て領域はターゲット上でそのままです。</translation>
    </message>
    <message>
        <source>Copies nothing up front, only what is written to the source from now on.</source>
        <translation>事前には何もコピーせず、今後ソースに書き込まれた部分だけをコピーします。</translation>
    </message>
    <message>
        <source>Limit to</source>
        <translation>制限値</translation>
    </message>
    <message>
        <source>Discard zero ranges on the target (keeps it sparse)</source>
        <translation>ターゲット上のゼロ範囲を破棄（スパースを維持）</translation>
    </message>
    <message>
        <source>Verify the copy after completion</source>
        <translation>完了後にコピーを検証</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>完全</translation>
    </message>
    <message>
        <source>Allocated data only (top)</source>
        <translation>割り当て済みデータのみ（top）</translation>
    </message>
    <message>
        <source>New writes only (none)</source>
        <translation>新しい書き込みのみ（none）</translation>
    </message>
    <message>
        <source>Automatic (%1, or the target&apos;s block size)</source>
        <translation>自動（%1 またはターゲットのブロックサイズ）</translation>
    </message>
    <message>
        <source>The unit of dirty tracking: a write anywhere in a granule copies the whole granule again. Smaller granules copy less after small writes but need more memory.</source>
        <translation>変更追跡の単位です。グラニュール内のどこかに書き込みがあると、そのグラニュール全体が再コピーされます。小さくすると小さな書き込み後のコピー量は減りますが、より多くのメモリが必要です。</translation>
    </message>
    <message>
        <source>&amp;Granularity:</source>
        <translation>粒度(&amp;G):</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/秒</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/秒</translation>
    </message>
    <message>
        <source>GiB/s</source>
        <translation>GiB/秒</translation>
    </message>
    <message>
        <source>Unchecked: as fast as the disks allow. Changes apply at once, also to a running job.</source>
        <translation>オフの場合はディスクが許す限り高速にコピーします。変更は実行中のジョブにも即座に反映されます。</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>速度制限(&amp;L):</translation>
    </message>
    <message>
        <source>Memory for data in flight, split into up to 16 requests.</source>
        <translation>転送中データ用のメモリ。最大 16 個の要求に分割されます。</translation>
    </message>
    <message>
        <source>&amp;Buffer:</source>
        <translation>バッファ(&amp;B):</translation>
    </message>
    <message>
        <source>On &amp;write error:</source>
        <translation>書き込みエラー時(&amp;W):</translation>
    </message>
    <message>
        <source>Ranges that read as zeroes are discarded on the target instead of written, so an image stays sparse and an SSD learns they are free.</source>
        <translation>ゼロとして読み取られた範囲はターゲットに書き込まず破棄します。これによりイメージはスパースのまま保たれ、SSD はその領域が空きであることを認識します。</translation>
    </message>
    <message>
        <source>Report (stop the job)</source>
        <translation>報告（ジョブを停止）</translation>
    </message>
    <message>
        <source>The job fails at the first error.</source>
        <translation>最初のエラーでジョブが失敗します。</translation>
    </message>
    <message>
        <source>Ignore (skip and continue)</source>
        <translation>無視（スキップして続行）</translation>
    </message>
    <message>
        <source>Skip the failed range, record it and go on. On the source, what cannot be read is written as zeroes.</source>
        <translation>失敗した範囲をスキップして記録し、続行します。ソース上で読み取れない部分はゼロとして書き込まれます。</translation>
    </message>
    <message>
        <source>Pause (retry on resume)</source>
        <translation>一時停止（再開時に再試行）</translation>
    </message>
    <message>
        <source>Pause the job; Resume retries the failed range.</source>
        <translation>ジョブを一時停止します。「再開」で失敗した範囲を再試行します。</translation>
    </message>
    <message>
        <source>Pause when full, else report</source>
        <translation>容量不足なら一時停止、それ以外は報告</translation>
    </message>
    <message>
        <source>Pause when the target runs out of space, fail otherwise.</source>
        <translation>ターゲットの空き容量がなくなったら一時停止し、それ以外は失敗にします。</translation>
    </message>
    <message>
        <source>S&amp;ync mode:</source>
        <translation>同期モード(&amp;Y):</translation>
    </message>
    <message>
        <source>On read &amp;error:</source>
        <translation>読み取りエラー時(&amp;E):</translation>
    </message>
    <message>
        <source>Clear the target past the source&apos;s end</source>
        <translation>ソースの末尾より後ろのターゲットを消去</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>The longest time Complete, or Cancel once in sync, may freeze the source&apos;s mounted file systems for the final copy; writes to them wait meanwhile. A final copy that takes longer is abandoned: the source runs on, the job keeps mirroring and you can try again.</source>
        <translation>「完了」、または同期済みの状態での「キャンセル」で、最終コピーのためにソースのマウント済みファイルシステムをフリーズできる最長時間です。その間、ファイルシステムへの書き込みは待機します。最終コピーがこれより長くかかる場合は中止され、ソースは動作を続け、ジョブはミラーを継続するので、もう一度試すことができます。</translation>
    </message>
    <message>
        <source>Maximum free&amp;ze:</source>
        <translation>最大フリーズ時間(&amp;Z):</translation>
    </message>
    <message>
        <source>For a target larger than the source: make everything past the source&apos;s end read as zeroes, so none of the target&apos;s old data stays there. Unchecked, those bytes are kept as they are and are not compared.</source>
        <translation>ソースより大きいターゲットの場合: ソースの末尾より後ろをすべてゼロとして読み取れるようにし、ターゲットの古いデータが何も残らないようにします。オフの場合、その部分のバイトはそのまま残され、比較もされません。</translation>
    </message>
    <message>
        <source>After the final copy, once the source runs again, compare the target with the source; where the source changed since, check the target against what the job wrote.</source>
        <translation>最終コピーの後、ソースが再び動き出してからターゲットをソースと比較します。最終コピー以降にソースが変更された部分は、ジョブが書き込んだ内容とターゲットを照合します。</translation>
    </message>
    <message>
        <source>Give way to programs using the source disk</source>
        <translation>ソースディスクを使うプログラムに譲る</translation>
    </message>
    <message>
        <source>While programs on the source&apos;s computer read and write its disk, the copy slows down so that they stay responsive, and speeds up again when the disk is quiet. A source nothing writes to is copied at full speed either way.</source>
        <translation>ソースのコンピューター上のプログラムがディスクを読み書きしている間は、それらの応答が保たれるようにコピーを遅くし、ディスクが空けば再び速くします。何も書き込まないソースはどちらでも全速でコピーされます。</translation>
    </message>
    <message>
        <source>fail at once</source>
        <translation>すぐに失敗</translation>
    </message>
    <message>
        <source>When the connection to an NBD export is lost, for example because its server restarts, the job connects again for up to this long and then copies on; what the server had not yet flushed is copied again. 0: the job stops at once and can be resumed later.</source>
        <translation>NBD エクスポートへの接続が切れたとき（たとえばサーバーが再起動したとき）、ジョブは最長でこの時間だけ再接続を試み、その後コピーを続けます。サーバーがまだフラッシュしていなかった部分は再びコピーします。0: ジョブはすぐに停止し、後で再開できます。</translation>
    </message>
    <message>
        <source>Reco&amp;nnect for up to:</source>
        <translation>再接続の最長待ち時間(&amp;N):</translation>
    </message>
</context>
<context>
    <name>ui::LogView</name>
    <message>
        <source>Save Log…</source>
        <translation>ログを保存…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <source>Messages from the mirror appear here.</source>
        <translation>ミラーからのメッセージがここに表示されます。</translation>
    </message>
    <message>
        <source>debug</source>
        <translation>デバッグ</translation>
    </message>
    <message>
        <source>info</source>
        <translation>情報</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation>ログを保存</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>ログファイル (*.log *.txt)</translation>
    </message>
    <message>
        <source>Log Not Saved</source>
        <translation>ログを保存できませんでした</translation>
    </message>
    <message>
        <source>The log could not be saved to %1.</source>
        <translation>ログを %1 に保存できませんでした。</translation>
    </message>
    <message>
        <source>Choose another location and try again.</source>
        <translation>別の場所を選択して、もう一度実行してください。</translation>
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
        <translation>%1 を追加できません</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>開始(&amp;S)</translation>
    </message>
    <message>
        <source>Start mirroring the source to the target</source>
        <translation>ソースからターゲットへのミラーを開始</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>Pause copying; writes to the source are still tracked</source>
        <translation>コピーを一時停止します。ソースへの書き込みは引き続き追跡されます</translation>
    </message>
    <message>
        <source>C&amp;omplete</source>
        <translation>完了(&amp;O)</translation>
    </message>
    <message>
        <source>Finish with a target identical to the source (only when in sync)</source>
        <translation>ソースと同一のターゲットで終了します（同期済みの場合のみ）</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>キャンセル(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the mirror</source>
        <translation>ミラーを停止</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Refresh Disks</source>
        <translation>ディスクを再読み込み(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Mirror</source>
        <translation>ミラー(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About DriveMirror</source>
        <translation>DriveMirror について(&amp;A)</translation>
    </message>
    <message>
        <source>About DriveMirror</source>
        <translation>DriveMirror について</translation>
    </message>
    <message>
        <source>&lt;b&gt;DriveMirror %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;DriveMirror %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Clones disks and image files and keeps the copy in sync while the source is in use, until you complete (an identical copy) or cancel (a consistent copy).</source>
        <translation>ディスクとイメージファイルを複製し、ソースの使用中もコピーを同期し続けます。完了（同一のコピー）またはキャンセル（整合性のあるコピー）するまで同期は続きます。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Dirty Map</source>
        <translation>ダーティマップ</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>スループット</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>ログ</translation>
    </message>
    <message>
        <source>Cannot Start the Mirror</source>
        <translation>ミラーを開始できません</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>再開(&amp;R)</translation>
    </message>
    <message>
        <source>Continue copying</source>
        <translation>コピーを再開</translation>
    </message>
    <message>
        <source>Complete freezes %1 for a moment: writes to it wait until the final copy is done, then continue.</source>
        <translation>「完了」では %1 を一時的にフリーズします。書き込みは最終コピーが終わるまで待機し、その後再開されます。</translation>
    </message>
    <message>
        <source>Finish with a target identical to the source (only when in sync). Freezes %1 for a moment for the final copy.</source>
        <translation>ソースと同一のターゲットで終了します（同期済みの場合のみ）。最終コピーのために %1 を一時的にフリーズします。</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 と %2</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 ほか %2 件</translation>
    </message>
    <message>
        <source>&lt;b&gt;Live:&lt;/b&gt; writes are tracked; Complete freezes %1 for a moment.</source>
        <translation>&lt;b&gt;ライブ:&lt;/b&gt; 書き込みは追跡されます。「完了」では %1 を一時的にフリーズします。</translation>
    </message>
    <message>
        <source>Checking the target…</source>
        <translation>ターゲットを確認しています…</translation>
    </message>
    <message>
        <source>Cannot Use This Target</source>
        <translation>このターゲットは使用できません</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>準備中…</translation>
    </message>
    <message>
        <source>Preparing the mirror…</source>
        <translation>ミラーを準備しています…</translation>
    </message>
    <message>
        <source>Completing.</source>
        <translation>完了処理中です。</translation>
    </message>
    <message>
        <source>The source is quiesced for the final copy.</source>
        <translation>最終コピーのためソースを静止させます。</translation>
    </message>
    <message>
        <source>The target is not in sync yet: it holds only part of the source and is not usable as a copy.</source>
        <translation>ターゲットはまだ同期していません。ソースの一部しか含まれておらず、コピーとしては使用できません。</translation>
    </message>
    <message>
        <source>Cancel the Mirror?</source>
        <translation>ミラーをキャンセルしますか？</translation>
    </message>
    <message>
        <source>Stop mirroring?</source>
        <translation>ミラーを停止しますか？</translation>
    </message>
    <message>
        <source>Cancel the mirror before it is in sync?</source>
        <translation>同期が完了する前にミラーをキャンセルしますか？</translation>
    </message>
    <message>
        <source>Cancel Mirror</source>
        <translation>ミラーをキャンセル</translation>
    </message>
    <message>
        <source>Keep Mirroring</source>
        <translation>ミラーを続ける</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>キャンセルしています…</translation>
    </message>
    <message>
        <source>In sync.</source>
        <translation>同期済みです。</translation>
    </message>
    <message>
        <source>The target matches the source and follows every new write. Press Complete for an identical copy, or Cancel to stop with a consistent copy.</source>
        <translation>ターゲットはソースと一致しており、新しい書き込みにも追従しています。同一のコピーにするには「完了」を、整合性のあるコピーで停止するには「キャンセル」を押してください。</translation>
    </message>
    <message>
        <source>DriveMirror: in sync</source>
        <translation>DriveMirror: 同期済み</translation>
    </message>
    <message>
        <source>%1 is in sync with %2. Complete the mirror when you are ready.</source>
        <translation>%1 は %2 と同期しています。準備ができたらミラーを完了してください。</translation>
    </message>
    <message>
        <source>The dirty map appears when a mirror starts.</source>
        <translation>ダーティマップはミラーの開始時に表示されます。</translation>
    </message>
    <message>
        <source>Completed, but different.</source>
        <translation>完了しましたが、相違があります。</translation>
    </message>
    <message>
        <source>Verification found differences between source and target. Do not rely on this copy; see the log.</source>
        <translation>検証でソースとターゲットの相違が見つかりました。このコピーは信頼しないでください。ログを参照してください。</translation>
    </message>
    <message>
        <source>Verification Failed</source>
        <translation>検証に失敗しました</translation>
    </message>
    <message>
        <source>The copy is not identical to the source.</source>
        <translation>コピーはソースと同一ではありません。</translation>
    </message>
    <message>
        <source>Check the disks and start the mirror again.</source>
        <translation>ディスクを確認して、ミラーをもう一度開始してください。</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy (%3).</source>
        <translation>%1 は最終コピーの時点で %2 と同一です（%3）。</translation>
    </message>
    <message>
        <source>Freeze window: %1 was frozen for %2 s.</source>
        <translation>フリーズ時間: %1 は %2 秒間フリーズされました。</translation>
    </message>
    <message>
        <source>Writes were tracked; nothing was mounted from the source, so nothing had to be frozen.</source>
        <translation>書き込みは追跡されました。ソースからのマウントはなかったため、フリーズは不要でした。</translation>
    </message>
    <message>
        <source>Completed.</source>
        <translation>完了しました。</translation>
    </message>
    <message>
        <source>DriveMirror: completed</source>
        <translation>DriveMirror: 完了</translation>
    </message>
    <message>
        <source>The mirror to %1 is complete.</source>
        <translation>%1 へのミラーが完了しました。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>キャンセルしました。</translation>
    </message>
    <message>
        <source>Cancelled before in sync.</source>
        <translation>同期前にキャンセルしました。</translation>
    </message>
    <message>
        <source>%1 is incomplete and not usable as a copy.</source>
        <translation>%1 は不完全なため、コピーとしては使用できません。</translation>
    </message>
    <message>
        <source>Failed reading the source.</source>
        <translation>ソースの読み取りに失敗しました。</translation>
    </message>
    <message>
        <source>Failed writing the target.</source>
        <translation>ターゲットへの書き込みに失敗しました。</translation>
    </message>
    <message>
        <source>The Mirror Failed</source>
        <translation>ミラーに失敗しました</translation>
    </message>
    <message>
        <source>DriveMirror: failed</source>
        <translation>DriveMirror: 失敗</translation>
    </message>
    <message>
        <source>Close DriveMirror?</source>
        <translation>DriveMirror を閉じますか？</translation>
    </message>
    <message>
        <source>A mirror is running. Closing cancels it.</source>
        <translation>ミラーを実行中です。閉じるとミラーはキャンセルされます。</translation>
    </message>
    <message>
        <source>Cancel Mirror and Close</source>
        <translation>ミラーをキャンセルして閉じる</translation>
    </message>
    <message>
        <source>Keep Running</source>
        <translation>実行を続ける</translation>
    </message>
    <message>
        <source>Cancelling, then closing…</source>
        <translation>キャンセルしてから閉じています…</translation>
    </message>
    <message>
        <source>DriveMirror (demo)</source>
        <translation>DriveMirror（デモ）</translation>
    </message>
    <message>
        <source>Running without administrator rights, and pkexec was not found: only image files can be mirrored; disks are listed greyed out. Install pkexec, or start DriveMirror as root, to use them.</source>
        <translation>管理者権限なしで実行中で、pkexec も見つかりません: ミラーできるのはイメージファイルのみで、ディスクはグレー表示されます。ディスクを使用するには pkexec をインストールするか、DriveMirror を root として起動してください。</translation>
    </message>
    <message>
        <source>The target %1 is gone or has changed.</source>
        <translation>ターゲット %1 がなくなったか、変更されました。</translation>
    </message>
    <message>
        <source>The source %1 is gone or has changed.</source>
        <translation>ソース %1 がなくなったか、変更されました。</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>開始していません。</translation>
    </message>
    <message>
        <source>Nothing was written. Choose the source and the target again, then press Start.</source>
        <translation>何も書き込まれていません。ソースとターゲットを選択し直してから、「開始」を押してください。</translation>
    </message>
    <message>
        <source>%1 is frozen for the final copy, at most %2: writes to it wait, then continue. Then the target is compared with the source, which runs on meanwhile.</source>
        <translation>最終コピーのため %1 を最長 %2 フリーズしています。書き込みは待機した後に再開されます。その後、ターゲットをソースと比較します（その間もソースは動作を続けます）。</translation>
    </message>
    <message>
        <source>%1 is frozen for the final copy, at most %2: writes to it wait, then continue.</source>
        <translation>最終コピーのため %1 を最長 %2 フリーズしています。書き込みは待機した後に再開されます。</translation>
    </message>
    <message>
        <source>The source is quiesced for the final copy, then the target is compared with it.</source>
        <translation>最終コピーのためソースを静止させ、その後ターゲットをソースと比較します。</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>The source is quiesced briefly for a final copy, as at Complete, so the target is a consistent copy of the source as of that moment; later writes to the source are not on it.</source>
        <translation>「完了」と同様に最終コピーのためソースを一時的に静止させるので、ターゲットはその時点のソースの整合性のあるコピーになります。それ以降のソースへの書き込みは含まれません。</translation>
    </message>
    <message>
        <source>%1 is frozen briefly (at most %2) for a final copy, as at Complete, so the target is a consistent copy of the source as of that moment; later writes to the source are not on it.</source>
        <translation>「完了」と同様に最終コピーのため %1 を一時的に（最長 %2）フリーズするので、ターゲットはその時点のソースの整合性のあるコピーになります。それ以降のソースへの書き込みは含まれません。</translation>
    </message>
    <message>
        <source>“Cancel Now” skips the final copy: the target is then like a disk after a power cut. Its file systems need a check (fsck) or a journal replay before use, and the last writes to the source are missing.</source>
        <translation>「今すぐキャンセル」は最終コピーを省略します。その場合、ターゲットは電源断後のディスクと同じ状態になります。使用する前にファイルシステムのチェック（fsck）またはジャーナルの再生が必要で、ソースへの最後の書き込みは失われます。</translation>
    </message>
    <message>
        <source>Cancel Now</source>
        <translation>今すぐキャンセル</translation>
    </message>
    <message>
        <source>Stop at once, without a final copy: a copy like after a power cut</source>
        <translation>最終コピーなしで直ちに停止: 電源断後のような状態のコピー</translation>
    </message>
    <message>
        <source>Freeze the source briefly for a final copy: a consistent copy</source>
        <translation>最終コピーのためソースを一時的にフリーズ: 整合性のあるコピー</translation>
    </message>
    <message>
        <source>Cancelling: making the final copy…</source>
        <translation>キャンセルしています: 最終コピーを作成中…</translation>
    </message>
    <message>
        <source>Complete failed.</source>
        <translation>完了に失敗しました。</translation>
    </message>
    <message>
        <source>The final copy could not be made while the source was frozen: %1. The source runs on, the mirror keeps the target in sync, and the target is still the copy of the last time they were in sync. Press Complete to try again; if it fails again, raise the maximum freeze in the settings, or reduce the writes to the source.</source>
        <translation>ソースのフリーズ中に最終コピーを作成できませんでした: %1。ソースは動作を続けており、ミラーはターゲットを同期し続けています。ターゲットは引き続き最後に同期していた時点のコピーです。もう一度試すには「完了」を押してください。再び失敗する場合は、設定で最大フリーズ時間を増やすか、ソースへの書き込みを減らしてください。</translation>
    </message>
    <message>
        <source>Verification compared %1 with the source, checked %2 against what the job wrote (the source changed there after the final copy), and could not check %3.</source>
        <translation>検証では、%1 をソースと比較し、%2 をジョブが書き込んだ内容と照合しました（この部分は最終コピーの後にソースが変更されています）。%3 は確認できませんでした。</translation>
    </message>
    <message>
        <source>Its verification was cancelled: the copy was not checked.</source>
        <translation>検証はキャンセルされました。コピーは確認されていません。</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were cleared and read back as zeroes.</source>
        <translation>ソースの末尾より後ろにあるターゲットの %1 を消去し、読み返してゼロであることを確認しました。</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were cleared.</source>
        <translation>ソースの末尾より後ろにあるターゲットの %1 を消去しました。</translation>
    </message>
    <message>
        <source>The %1 of the target past the source&apos;s end were kept as they were and not compared.</source>
        <translation>ソースの末尾より後ろにあるターゲットの %1 はそのまま残し、比較していません。</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy (%3); verification found no difference where it could check.</source>
        <translation>%1 は最終コピーの時点で %2 と同一です（%3）。検証できた範囲では相違は見つかりませんでした。</translation>
    </message>
    <message>
        <source>%1 is identical to %2 as of the final copy, and verified (%3).</source>
        <translation>%1 は最終コピーの時点で %2 と同一で、検証済みです（%3）。</translation>
    </message>
    <message>
        <source>%1 is like %2 after a power cut: its file systems need a check (fsck) or a journal replay before use, and the last writes are missing.</source>
        <translation>%1 は電源断後の %2 と同じ状態です。使用する前にファイルシステムのチェック（fsck）またはジャーナルの再生が必要で、最後の書き込みは失われています。</translation>
    </message>
    <message>
        <source>The source could not be frozen long enough for the final copy, so the mirror was cancelled without it.</source>
        <translation>最終コピーに必要な時間だけソースをフリーズできなかったため、最終コピーなしでミラーをキャンセルしました。</translation>
    </message>
    <message>
        <source>Reason: %1.</source>
        <translation>理由: %1。</translation>
    </message>
    <message>
        <source>Cancelled without a final copy.</source>
        <translation>最終コピーなしでキャンセルしました。</translation>
    </message>
    <message>
        <source>%1 is a consistent copy of %2 as of the last time they were in sync; later writes to the source are not on it.</source>
        <translation>%1 は、最後に同期していた時点の %2 の整合性のあるコピーです。それ以降のソースへの書き込みは含まれません。</translation>
    </message>
    <message>
        <source>%1 is a consistent copy of %2 as of the final copy; later writes to the source are not on it.</source>
        <translation>%1 は最終コピーの時点の %2 の整合性のあるコピーです。それ以降のソースへの書き込みは含まれません。</translation>
    </message>
    <message>
        <source>%1 is incomplete and not usable as a copy. The mirror created this file; you can delete it.</source>
        <translation>%1 は不完全なため、コピーとしては使用できません。このファイルはミラーが作成したものなので、削除してもかまいません。</translation>
    </message>
    <message>
        <source>Delete the Incomplete Image?</source>
        <translation>不完全なイメージを削除しますか？</translation>
    </message>
    <message>
        <source>%1 holds only part of the source.</source>
        <translation>%1 にはソースの一部しか含まれていません。</translation>
    </message>
    <message>
        <source>The mirror created this image file and was cancelled before it was in sync, so it is not usable as a copy. Delete it, or keep it to look at or to mirror into again.</source>
        <translation>このイメージファイルはミラーが作成したもので、同期する前にキャンセルされたため、コピーとしては使用できません。削除するか、内容を確認したり再びミラー先にしたりするために残してください。</translation>
    </message>
    <message>
        <source>Delete File</source>
        <translation>ファイルを削除</translation>
    </message>
    <message>
        <source>Keep File</source>
        <translation>ファイルを残す</translation>
    </message>
    <message>
        <source>Cannot Delete %1</source>
        <translation>%1 を削除できません</translation>
    </message>
    <message>
        <source>The incomplete %1 was deleted.</source>
        <translation>不完全な %1 を削除しました。</translation>
    </message>
    <message>
        <source>Closing stops the mirror at once, without a final copy: the target is then like a disk after a power cut. Its file systems need a check (fsck) or a journal replay before use, and the last writes to the source are missing. For a consistent copy, press Cancel or Complete first and close when the mirror has ended.</source>
        <translation>閉じると、最終コピーなしでミラーが直ちに停止します。その場合、ターゲットは電源断後のディスクと同じ状態になります。使用する前にファイルシステムのチェック（fsck）またはジャーナルの再生が必要で、ソースへの最後の書き込みは失われます。整合性のあるコピーにするには、先に「キャンセル」または「完了」を押し、ミラーが終了してから閉じてください。</translation>
    </message>
    <message>
        <source>The target stays a consistent copy of the source as of the last time they were in sync.</source>
        <translation>ターゲットは、最後に同期していた時点のソースの整合性のあるコピーとして残ります。</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>The choice of targets has changed.</source>
        <translation>ターゲットの選択が変更されました。</translation>
    </message>
    <message>
        <source>Too Many Targets</source>
        <translation>ターゲットが多すぎます</translation>
    </message>
    <message>
        <source>A mirror copies to at most %1 targets at once; %2 are selected.</source>
        <translation>ミラーで同時にコピーできるターゲットは最大 %1 個です。%2 個が選択されています。</translation>
    </message>
    <message>
        <source>Checking the targets…</source>
        <translation>ターゲットを確認しています…</translation>
    </message>
    <message>
        <source>Cannot Use %1</source>
        <translation>%1 は使用できません</translation>
    </message>
    <message>
        <source>%1 (Target %2 of %3)</source>
        <translation>%1（ターゲット %2/%3）</translation>
    </message>
    <message>
        <source>Create, Next Target</source>
        <translation>作成して次のターゲットへ</translation>
    </message>
    <message>
        <source>Overwrite, Next Target</source>
        <translation>上書きして次のターゲットへ</translation>
    </message>
    <message numerus="yes">
        <source>%n targets are in sync with %1. Complete the mirror when you are ready.</source>
        <translation>
            <numerusform>%n 個のターゲットが %1 と同期しています。準備ができたらミラーを完了してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Completed: %n targets identical.</source>
        <translation>
            <numerusform>完了しました: %n 個のターゲットが同一です。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The mirror to %n targets is complete.</source>
        <translation>
            <numerusform>%n 個のターゲットへのミラーが完了しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 targets identical.</source>
        <translation>%2 個中 %1 個のターゲットが同一です。</translation>
    </message>
    <message>
        <source>Not Every Target Was Copied</source>
        <translation>コピーされなかったターゲットがあります</translation>
    </message>
    <message>
        <source>%1 of %2 targets are identical to the source.</source>
        <translation>%2 個中 %1 個のターゲットがソースと同一です。</translation>
    </message>
    <message>
        <source>Cancelled: %1 of %2 targets identical.</source>
        <translation>キャンセルしました: %2 個中 %1 個のターゲットが同一です。</translation>
    </message>
    <message>
        <source>Delete the Incomplete Images?</source>
        <translation>不完全なイメージを削除しますか？</translation>
    </message>
    <message>
        <source>%1 hold only part of the source.</source>
        <translation>%1 にはソースの一部しか含まれていません。</translation>
    </message>
    <message>
        <source>The mirror created these image files and they did not get in sync, so they are not usable as copies. Delete them, or keep them to look at or to mirror into again.</source>
        <translation>これらのイメージファイルはミラーが作成したもので、同期に至らなかったため、コピーとしては使用できません。削除するか、内容を確認したり再びミラー先にしたりするために残してください。</translation>
    </message>
    <message>
        <source>Delete Files</source>
        <translation>ファイルを削除</translation>
    </message>
    <message>
        <source>Keep Files</source>
        <translation>ファイルを残す</translation>
    </message>
    <message>
        <source>Cannot Resume the Mirror</source>
        <translation>ミラーを再開できません</translation>
    </message>
    <message>
        <source>Neither the source nor the target is present now, so the copy cannot be resumed yet.</source>
        <translation>ソースもターゲットも現在見つからないため、まだコピーを再開できません。</translation>
    </message>
    <message>
        <source>The source %1 is not present now, so the copy cannot be resumed yet.</source>
        <translation>ソース %1 が現在見つからないため、まだコピーを再開できません。</translation>
    </message>
    <message>
        <source>The target %1 is not present now, so the copy cannot be resumed yet.</source>
        <translation>ターゲット %1 が現在見つからないため、まだコピーを再開できません。</translation>
    </message>
    <message>
        <source>%1 or %2 could not be listed.</source>
        <translation>%1 または %2 を一覧に追加できませんでした。</translation>
    </message>
    <message>
        <source>%1 cannot be chosen as the source now.</source>
        <translation>%1 は現在ソースとして選択できません。</translation>
    </message>
    <message>
        <source>%1 cannot be chosen as the target now; the target list says why.</source>
        <translation>%1 は現在ターゲットとして選択できません。理由はターゲット一覧に表示されています。</translation>
    </message>
    <message>
        <source>Not resumed.</source>
        <translation>再開していません。</translation>
    </message>
    <message>
        <source>Discard the Interrupted Copy?</source>
        <translation>中断されたコピーを破棄しますか？</translation>
    </message>
    <message>
        <source>The copy of %1 to %2 can then no longer be resumed.</source>
        <translation>%1 から %2 へのコピーは再開できなくなります。</translation>
    </message>
    <message>
        <source>%1 keeps what was copied so far, but it is not usable as a copy; a new mirror to it starts from the beginning.</source>
        <translation>%1 にはこれまでにコピーされた内容が残りますが、コピーとしては使用できません。新しいミラーは最初から開始します。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>残す</translation>
    </message>
    <message>
        <source>Cannot Discard the Interrupted Copy</source>
        <translation>中断されたコピーを破棄できません</translation>
    </message>
    <message>
        <source>Network (NBD export)</source>
        <translation>ネットワーク (NBD エクスポート)</translation>
    </message>
</context>
<context>
    <name>ui::NbdExportDialog</name>
    <message>
        <source>&amp;Test Connection</source>
        <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
        <source>Add NBD Export</source>
        <translation>NBD エクスポートを追加</translation>
    </message>
    <message>
        <source>An export of an NBD server on another machine or on this one (drivemirror-cli serve, qemu-nbd, nbdkit). It is listed as a target: a mirror onto it overwrites what it holds.</source>
        <translation>別のマシンまたはこのマシンの NBD サーバーのエクスポート (drivemirror-cli serve、qemu-nbd、nbdkit)。ターゲットとして一覧に表示されます: そこへのミラーは、その内容を上書きします。</translation>
    </message>
    <message>
        <source>&amp;URI:</source>
        <translation>URI(&amp;U):</translation>
    </message>
    <message>
        <source>%1 (on another machine)</source>
        <translation>%1 (別のマシン)</translation>
    </message>
    <message>
        <source>%1 (on this machine)</source>
        <translation>%1 (このマシン)</translation>
    </message>
    <message>
        <source>%1 (with TLS)</source>
        <translation>%1 (TLS あり)</translation>
    </message>
    <message>
        <source>Connect to the export and show its size and whether it may be written; nothing is written.</source>
        <translation>エクスポートに接続し、サイズと書き込み可能かどうかを表示します。何も書き込みません。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>サーバーに接続中…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>接続できません: %1</translation>
    </message>
    <message>
        <source>%1, read-only: cannot be a target</source>
        <translation>%1、読み取り専用: ターゲットにできません</translation>
    </message>
    <message>
        <source>%1, writable</source>
        <translation>%1、書き込み可能</translation>
    </message>
    <message>
        <source>An export of an NBD server on another machine or on this one (drivemirror-cli serve, qemu-nbd, nbdkit), to mirror from. Other clients&apos; writes to it cannot be followed: it is copied as an image nothing else writes to.</source>
        <translation>このマシンまたは別のマシン上の NBD サーバー (drivemirror-cli serve、qemu-nbd、nbdkit) のエクスポートで、ミラー元になります。ほかのクライアントによる書き込みは追跡できないため、ほかに何も書き込まないイメージとしてコピーされます。</translation>
    </message>
    <message>
        <source>%1, read-only</source>
        <translation>%1、読み取り専用</translation>
    </message>
</context>
<context>
    <name>ui::ResumeOffer</name>
    <message>
        <source>Res&amp;ume</source>
        <translation>再開(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>破棄(&amp;D)</translation>
    </message>
    <message>
        <source>Select the source and the target and start the copy where it stopped; the start asks for confirmation as always</source>
        <translation>ソースとターゲットを選択し、中断したところからコピーを開始します。開始時にはいつもどおり確認があります</translation>
    </message>
    <message>
        <source>An interrupted copy of %1 to %2 can be resumed: %3 was copied (%4 of %5); the rest is copied, and what changed on the source since is found by comparing.</source>
        <translation>%1 から %2 への中断されたコピーを再開できます: %3 をコピー済みです（%5 中 %4）。残りがコピーされ、その後ソースで変更された部分は比較によって検出されます。</translation>
    </message>
    <message numerus="yes">
        <source>%n more interrupted copies are waiting; they are offered after this one.</source>
        <translation>
            <numerusform>ほかに %n 件の中断されたコピーがあります。これの後に表示されます。</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove what lets this copy be resumed; the target keeps what was copied so far</source>
        <translation>このコピーを再開するための情報を削除します。ターゲットにはこれまでにコピーされた内容が残ります</translation>
    </message>
    <message>
        <source>Kept in %1, which only an administrator can change</source>
        <translation>%1 に保存されており、管理者だけが変更できます</translation>
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
        <translation>時刻</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>スロット</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>シリアル番号</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/秒</translation>
    </message>
    <message>
        <source>Afterwards</source>
        <translation>その後</translation>
    </message>
</context>
<context>
    <name>ui::StationController</name>
    <message>
        <source>neither pkexec nor drivemirror-cli was found</source>
        <translation>pkexec も drivemirror-cli も見つかりません</translation>
    </message>
    <message>
        <source>The station reports an error: %1</source>
        <translation>ステーションがエラーを報告しました: %1</translation>
    </message>
    <message>
        <source>It was there before the station was armed: plug it in again to write it.</source>
        <translation>ステーションの有効化前から接続されていました。書き込むには差し直してください。</translation>
    </message>
    <message>
        <source>The station is not armed.</source>
        <translation>ステーションは有効化されていません。</translation>
    </message>
    <message>
        <source>The station could not be started (%1)%2</source>
        <translation>ステーションを開始できませんでした（%1）%2</translation>
    </message>
    <message>
        <source>The station process crashed%1</source>
        <translation>ステーションのプロセスがクラッシュしました%1</translation>
    </message>
    <message>
        <source>Administrator authentication was cancelled or refused: the station did not start.</source>
        <translation>管理者認証がキャンセルまたは拒否されたため、ステーションは開始されませんでした。</translation>
    </message>
    <message>
        <source>The station stopped: its audit log could not be written, or it cannot see drives being plugged in%1</source>
        <translation>ステーションが停止しました: 監査ログに書き込めなかったか、ドライブが差し込まれたことを検出できません%1</translation>
    </message>
    <message>
        <source>The station did not start%1</source>
        <translation>ステーションは開始されませんでした%1</translation>
    </message>
    <message>
        <source>The station ended with exit code %1%2</source>
        <translation>ステーションは終了コード %1 で終了しました%2</translation>
    </message>
    <message>
        <source>no result: the station ended</source>
        <translation>結果なし: ステーションが終了しました</translation>
    </message>
</context>
<context>
    <name>ui::StationSlotTile</name>
    <message>
        <source>Waiting for a drive</source>
        <translation>ドライブを待機中</translation>
    </message>
    <message>
        <source>Left alone</source>
        <translation>対象外</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>コピー中</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>検証中</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒否</translation>
    </message>
    <message>
        <source>Matches %1</source>
        <translation>一致条件: %1</translation>
    </message>
    <message>
        <source>Slot %1: %2</source>
        <translation>スロット %1: %2</translation>
    </message>
    <message>
        <source>No drive</source>
        <translation>ドライブなし</translation>
    </message>
    <message>
        <source>serial %1</source>
        <translation>シリアル %1</translation>
    </message>
    <message>
        <source>Unnamed drive</source>
        <translation>名前のないドライブ</translation>
    </message>
    <message>
        <source>%1 of %2, %3</source>
        <translation>%1 / %2、%3</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>開始中</translation>
    </message>
    <message>
        <source>average %1</source>
        <translation>平均 %1</translation>
    </message>
    <message>
        <source>Last result: %1</source>
        <translation>前回の結果: %1</translation>
    </message>
    <message>
        <source>Last result: %1 (%2)</source>
        <translation>前回の結果: %1（%2）</translation>
    </message>
</context>
<context>
    <name>ui::StationWindow</name>
    <message numerus="yes">
        <source>%n drive(s) recorded</source>
        <translation>
            <numerusform>%n 台のドライブを記録済み</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) exported to %1</source>
        <translation>
            <numerusform>%n 件の記録を %1 にエクスポートしました</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>エクスポートに失敗しました</translation>
    </message>
    <message>
        <source>The audit log could not be saved to %1.</source>
        <translation>監査ログを %1 に保存できませんでした。</translation>
    </message>
    <message>
        <source>&amp;Arm</source>
        <translation>有効化(&amp;A)</translation>
    </message>
    <message>
        <source>Hash the source, then write every drive plugged into a slot</source>
        <translation>ソースのハッシュを計算してから、スロットに差し込まれたすべてのドライブに書き込みます</translation>
    </message>
    <message>
        <source>&amp;Disarm</source>
        <translation>無効化(&amp;D)</translation>
    </message>
    <message>
        <source>Take no more drives and cancel the copies under way (their records say so)</source>
        <translation>これ以上ドライブを受け付けず、進行中のコピーをキャンセルします（その旨が記録に残ります）</translation>
    </message>
    <message>
        <source>Config:</source>
        <translation>設定ファイル:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>ソース:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Station&apos;s audit log:</source>
        <translation>ステーションの監査ログ:</translation>
    </message>
    <message>
        <source>Audit records</source>
        <translation>監査記録</translation>
    </message>
    <message>
        <source>No drive yet</source>
        <translation>まだドライブはありません</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>エクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Save these records as a CSV file, with every column of the station&apos;s own audit log</source>
        <translation>これらの記録を、ステーション自身の監査ログのすべての列を含む CSV ファイルとして保存します</translation>
    </message>
    <message>
        <source>Imaging station</source>
        <translation>イメージングステーション</translation>
    </message>
    <message>
        <source>%1 – DriveMirror Station</source>
        <translation>%1 – DriveMirror ステーション</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>まだ不明</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 と %2</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>計算中…</translation>
    </message>
    <message>
        <source>computed when armed</source>
        <translation>有効化時に計算されます</translation>
    </message>
    <message>
        <source>Not armed</source>
        <translation>有効化されていません</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <source>Computing the checksum…</source>
        <translation>チェックサムを計算しています…</translation>
    </message>
    <message>
        <source>ARMED: drives plugged in are overwritten</source>
        <translation>有効化済み: 差し込まれたドライブは上書きされます</translation>
    </message>
    <message>
        <source>Disarming…</source>
        <translation>無効化しています…</translation>
    </message>
    <message>
        <source>Disarmed</source>
        <translation>無効化済み</translation>
    </message>
    <message numerus="yes">
        <source>Disarmed (%1): %n drive(s) finished, %2 passed</source>
        <translation>
            <numerusform>無効化済み（%1）: %n 台のドライブが終了、%2 台が合格</numerusform>
        </translation>
    </message>
    <message>
        <source>The station needs administrator rights: neither pkexec nor drivemirror-cli was found</source>
        <translation>ステーションには管理者権限が必要です: pkexec も drivemirror-cli も見つかりません</translation>
    </message>
    <message>
        <source>Export Audit Records</source>
        <translation>監査記録をエクスポート</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV ファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Disarm the Station?</source>
        <translation>ステーションを無効化しますか？</translation>
    </message>
    <message>
        <source>The station is armed. Closing the window disarms it, and the drives being written now are cancelled.</source>
        <translation>ステーションは有効化されています。ウィンドウを閉じると無効化され、書き込み中のドライブへのコピーはキャンセルされます。</translation>
    </message>
    <message>
        <source>Disarm and Close</source>
        <translation>無効化して閉じる</translation>
    </message>
    <message>
        <source>Closing once the station has stopped…</source>
        <translation>ステーションが停止したら閉じます…</translation>
    </message>
</context>
<context>
    <name>ui::StatusPanel</name>
    <message>
        <source>Choose a source and a target, check the settings, then press Start.</source>
        <translation>ソースとターゲットを選択し、設定を確認してから「開始」を押してください。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>copying %1</source>
        <translation>コピー速度 %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>残り約 %1</translation>
    </message>
    <message>
        <source>%1 to copy</source>
        <translation>コピー待ち %1</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>制限 %1</translation>
    </message>
    <message>
        <source>%1 unreadable</source>
        <translation>読み取り不能 %1</translation>
    </message>
    <message>
        <source>stopped on an I/O error: %1</source>
        <translation>入出力エラーで停止: %1</translation>
    </message>
    <message>
        <source>Verifying… %1</source>
        <translation>検証中… %1</translation>
    </message>
    <message>
        <source>%1 of %2 checked</source>
        <translation>%1 / %2 を確認済み</translation>
    </message>
    <message>
        <source>the source runs on meanwhile</source>
        <translation>その間もソースは動作を続けます</translation>
    </message>
</context>
<context>
    <name>ui::TargetTable</name>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>コピー済み</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Targets of this mirror</source>
        <translation>このミラーのターゲット</translation>
    </message>
    <message>
        <source>Verification found differences</source>
        <translation>検証で相違を検出</translation>
    </message>
    <message>
        <source>Identical, verified</source>
        <translation>同一、検証済み</translation>
    </message>
    <message>
        <source>Identical</source>
        <translation>同一</translation>
    </message>
    <message>
        <source>Cancelled: like a disk after a power cut</source>
        <translation>キャンセル: 電源断後のディスクと同じ状態</translation>
    </message>
    <message>
        <source>Cancelled: a consistent copy</source>
        <translation>キャンセル: 整合性のあるコピー</translation>
    </message>
    <message>
        <source>Cancelled before in sync: incomplete</source>
        <translation>同期前にキャンセル: 不完全</translation>
    </message>
    <message>
        <source>Dropped: %1</source>
        <translation>除外: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>検証中</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>ui::ThroughputGraph</name>
    <message>
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <source>−%1 s</source>
        <translation>−%1 秒</translation>
    </message>
    <message>
        <source>−%1 min</source>
        <translation>−%1 分</translation>
    </message>
    <message>
        <source>Data copied</source>
        <translation>コピー済みデータ</translation>
    </message>
    <message>
        <source>Zeroed or discarded</source>
        <translation>ゼロ化または破棄</translation>
    </message>
    <message>
        <source>Speed limit</source>
        <translation>速度制限</translation>
    </message>
    <message>
        <source>Giving way to other I/O</source>
        <translation>ほかの I/O に譲る</translation>
    </message>
</context>
</TS>
