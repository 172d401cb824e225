<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CpuKernels</name>
    <message>
        <source>{setting}, but this build's CPU kernels are: {names}.</source>
        <translation>已设置 {setting}，但此版本包含的 CPU 内核只有：{names}。</translation>
    </message>
    <message>
        <source>None of this build's CPU kernels ({names}) can run on this CPU. Reinstall Parley, or build llama.cpp on this computer (PARLEY_NATIVE=on).</source>
        <translation>此版本的 CPU 内核（{names}）都无法在这台电脑的 CPU 上运行。请重新安装 Parley，或在这台电脑上自行编译 llama.cpp（PARLEY_NATIVE=on）。</translation>
    </message>
    <message>
        <source>llama.cpp could not load its {variant} CPU kernels ({path}). Reinstall Parley.</source>
        <translation>llama.cpp 无法加载其 {variant} CPU 内核（{path}）。请重新安装 Parley。</translation>
    </message>
</context>
<context>
    <name>EngineCapabilities</name>
    <message>
        <source>{name} does not accept this setting, so it has no effect on this model.</source>
        <translation>{name} 不接受此设置，因此它对这个模型不起作用。</translation>
    </message>
    <message>
        <source>a server</source>
        <translation>服务器</translation>
    </message>
</context>
<context>
    <name>EngineClient</name>
    <message>
        <source> while {doing}</source>
        <translation>在{doing}时，</translation>
    </message>
    <message>
        <source>{name} refused the API key{what} (HTTP 401/403): the key is wrong or missing. Enter the right key for it in Settings › Engines.</source>
        <translation>{what}{name} 拒绝了 API 密钥（HTTP 401/403）：密钥错误或缺失。请在“设置 › 引擎”中为它填写正确的密钥。</translation>
    </message>
    <message>
        <source>{name} did not answer within {seconds:g} seconds{what}. It may be busy or the model may be very large; try again, or allow it longer in Settings › Engines.</source>
        <translation>{what}{name} 在 {seconds:g} 秒内没有应答。它可能正忙，或模型非常大；请重试，或在“设置 › 引擎”中延长等待时间。</translation>
    </message>
    <message>
        <source>Parley cannot reach {name} at {url}{what}: the server is not running or not reachable from this computer. Start it (see docs/engines.md) and try again.</source>
        <translation>{what}Parley 无法连接位于 {url} 的 {name}：服务器没有运行，或从这台电脑无法访问。请启动它（见 docs/engines.md）后重试。</translation>
    </message>
    <message>
        <source>{name} has no such endpoint or model{what} (HTTP 404). Check the URL in Settings › Engines and the model the server serves.</source>
        <translation>{what}{name} 没有这个端点或模型（HTTP 404）。请检查“设置 › 引擎”中的 URL，以及服务器提供的模型。</translation>
    </message>
    <message>
        <source>{name} answered with an error{what} (HTTP {status}): {message}</source>
        <translation>{what}{name} 返回了错误（HTTP {status}）：{message}</translation>
    </message>
    <message>
        <source>{name} sent an answer Parley cannot read{what} ({kind}: {error}). Is {url} an OpenAI-compatible server (llama-server, vLLM)?</source>
        <translation>{what}{name} 发来了 Parley 无法读取的应答（{kind}: {error}）。{url} 是兼容 OpenAI 的服务器（llama-server、vLLM）吗？</translation>
    </message>
    <message>
        <source>Talking to {name} failed{what}: {error}</source>
        <translation>{what}与 {name} 通信失败：{error}</translation>
    </message>
    <message>
        <source>listing its models</source>
        <translation>列出其模型</translation>
    </message>
    <message>
        <source>{name} serves no models yet: start it with a model (llama-server -m FILE, vllm serve MODEL) and probe it again.</source>
        <translation>{name} 还没有提供任何模型：请带上模型启动它（llama-server -m FILE、vllm serve MODEL），然后重新探测。</translation>
    </message>
    <message>
        <source>asking what it is</source>
        <translation>询问其类型</translation>
    </message>
    <message>
        <source>{name} runs {slots} slots in parallel: requests batched together can change the numbers, so identical input may give different output. Start it with --parallel 1 for reproducible runs.</source>
        <translation>{name} 并行运行 {slots} 个槽位：一起批处理的请求会改变数值，因此相同输入可能得到不同输出。要获得可复现的结果，请用 --parallel 1 启动它。</translation>
    </message>
    <message>
        <source>{name} ({kind}) batches requests together and does not promise identical output for identical input, even with a fixed seed.</source>
        <translation>{name}（{kind}）会把请求合并批处理，即使固定随机种子，也不保证相同输入得到相同输出。</translation>
    </message>
    <message>
        <source>trying token probabilities</source>
        <translation>试用词元概率</translation>
    </message>
    <message>
        <source>trying prompt log-probabilities</source>
        <translation>试用提示词的对数概率</translation>
    </message>
    <message>
        <source>asking about the model</source>
        <translation>询问模型信息</translation>
    </message>
    <message>
        <source>counting tokens</source>
        <translation>统计词元</translation>
    </message>
    <message>
        <source>generating a reply</source>
        <translation>生成回复</translation>
    </message>
    <message>
        <source>asking for next-token probabilities</source>
        <translation>请求下一个词元的概率</translation>
    </message>
    <message>
        <source>top {count} from {engine}</source>
        <translation>来自 {engine} 的前 {count} 个</translation>
    </message>
    <message>
        <source>scoring the answers</source>
        <translation>为答案评分</translation>
    </message>
    <message>
        <source>scoring the text</source>
        <translation>为文本评分</translation>
    </message>
</context>
<context>
    <name>HubBrowser</name>
    <message>
        <source>Qwen 2.5 0.5B: tiny and fast, runs on any computer (about 0.5 GB)</source>
        <translation>Qwen 2.5 0.5B：小巧快速，任何电脑都能运行（约 0.5 GB）</translation>
    </message>
    <message>
        <source>Llama 3.2 1B: small general assistant from Meta (about 0.8 GB)</source>
        <translation>Llama 3.2 1B：Meta 出品的小型通用助手（约 0.8 GB）</translation>
    </message>
    <message>
        <source>Gemma 2 2B: Google's small model, good English writing (about 1.7 GB)</source>
        <translation>Gemma 2 2B：Google 的小模型，英文写作出色（约 1.7 GB）</translation>
    </message>
    <message>
        <source>Llama 3.2 3B: a capable everyday assistant (about 2 GB)</source>
        <translation>Llama 3.2 3B：能干的日常助手（约 2 GB）</translation>
    </message>
    <message>
        <source>Phi-3 mini 3.8B: strong reasoning for its size (about 2.4 GB)</source>
        <translation>Phi-3 mini 3.8B：同等体量中推理能力强（约 2.4 GB）</translation>
    </message>
    <message>
        <source>Qwen 2.5 7B: much stronger, needs 8 GB of memory or more (about 4.7 GB)</source>
        <translation>Qwen 2.5 7B：能力强得多，需要 8 GB 或更多内存（约 4.7 GB）</translation>
    </message>
</context>
<context>
    <name>HubError</name>
    <message>
        <source>The access token is empty. Paste a token from {page}.</source>
        <translation>访问令牌为空。请粘贴来自 {page} 的令牌。</translation>
    </message>
    <message>
        <source>Parley could not save the access token ({error}). Check that your home folder is writable.</source>
        <translation>Parley 无法保存访问令牌（{error}）。请检查你的主文件夹是否可写。</translation>
    </message>
    <message>
        <source>search Hugging Face</source>
        <translation>搜索 Hugging Face</translation>
    </message>
    <message>
        <source>list the files of {repo}</source>
        <translation>列出 {repo} 的文件</translation>
    </message>
    <message>
        <source> (and {count} more)</source>
        <translation>（另有 {count} 个）</translation>
    </message>
    <message>
        <source>{repo} lists only GGUF files whose names Parley refuses{more}. {refusal}</source>
        <translation>{repo} 列出的 GGUF 文件名都被 Parley 拒绝{more}。{refusal}</translation>
    </message>
    <message>
        <source>{repo} has no GGUF files; Parley runs GGUF models only. Search for a GGUF version of this model (its name usually ends in -GGUF).</source>
        <translation>{repo} 没有 GGUF 文件；Parley 只能运行 GGUF 模型。请搜索此模型的 GGUF 版本（名称通常以 -GGUF 结尾）。</translation>
    </message>
    <message>
        <source>read the model card of {repo}</source>
        <translation>读取 {repo} 的模型卡片</translation>
    </message>
    <message>
        <source>Parley is in offline mode, so it cannot reach Hugging Face. Turn off offline mode (and unset HF_HUB_OFFLINE) to browse and download models.</source>
        <translation>Parley 处于离线模式，因此无法连接 Hugging Face。要浏览和下载模型，请关闭离线模式（并取消设置 HF_HUB_OFFLINE）。</translation>
    </message>
    <message>
        <source>"{repo}" is not a Hugging Face repository name. Names look like "owner/model-name", for example "Qwen/Qwen2.5-0.5B-Instruct-GGUF".</source>
        <translation>“{repo}”不是 Hugging Face 仓库名称。名称形如“owner/model-name”，例如“Qwen/Qwen2.5-0.5B-Instruct-GGUF”。</translation>
    </message>
    <message>
        <source>looking up {host} took longer than {seconds:g} s</source>
        <translation>解析 {host} 超过了 {seconds:g} 秒</translation>
    </message>
    <message>
        <source>huggingface_hub's offline mode is on (HF_HUB_OFFLINE), so Parley cannot reach Hugging Face. Unset HF_HUB_OFFLINE to browse and download models.</source>
        <translation>huggingface_hub 的离线模式已开启（HF_HUB_OFFLINE），因此 Parley 无法连接 Hugging Face。要浏览和下载模型，请取消设置 HF_HUB_OFFLINE。</translation>
    </message>
    <message>
        <source>no connection within {seconds:g} s</source>
        <translation>{seconds:g} 秒内未能连接</translation>
    </message>
    <message>
        <source>Could not {action}: Hugging Face did not answer in time. Check your internet connection and try again.</source>
        <translation>无法{action}：Hugging Face 没有及时应答。请检查网络连接后重试。</translation>
    </message>
    <message>
        <source>Could not {action}: {error}.</source>
        <translation>无法{action}：{error}。</translation>
    </message>
    <message>
        <source>Could not {action}: Hugging Face sent an answer Parley does not understand. Try again later; if it keeps happening, update Parley.</source>
        <translation>无法{action}：Hugging Face 发来了 Parley 无法理解的应答。请稍后重试；如果一直如此，请更新 Parley。</translation>
    </message>
    <message>
        <source>Could not {action}: {error}. Try again later.</source>
        <translation>无法{action}：{error}。请稍后重试。</translation>
    </message>
    <message>
        <source>Could not {action}: {endpoint} cannot be reached ({why}). Check your internet connection, or use Parley offline with the models you have.</source>
        <translation>无法{action}：无法访问 {endpoint}（{why}）。请检查网络连接，或离线使用你已有的模型。</translation>
    </message>
    <message>
        <source>this repository</source>
        <translation>此仓库</translation>
    </message>
    <message>
        <source>Hugging Face has no model named {repo}. Check the spelling; if it is a private repository, enter an access token that can read it.</source>
        <translation>Hugging Face 上没有名为 {repo} 的模型。请检查拼写；如果是私有仓库，请填写能读取它的访问令牌。</translation>
    </message>
    <message>
        <source>Could not {action}: the file is no longer in {repo} (it may have been renamed or removed). Refresh the file list and choose again.</source>
        <translation>无法{action}：该文件已不在 {repo} 中（可能已被重命名或删除）。请刷新文件列表后重新选择。</translation>
    </message>
    <message>
        <source>Could not {action}: Hugging Face is limiting requests right now. Wait a few minutes and try again.</source>
        <translation>无法{action}：Hugging Face 目前正在限制请求。请等几分钟后重试。</translation>
    </message>
    <message>
        <source>Could not {action}: Hugging Face has a server problem (HTTP {status}). Try again later.</source>
        <translation>无法{action}：Hugging Face 服务器出现问题（HTTP {status}）。请稍后重试。</translation>
    </message>
    <message>
        <source>Could not {action}: Hugging Face answered HTTP {status}. Try again later.</source>
        <translation>无法{action}：Hugging Face 返回了 HTTP {status}。请稍后重试。</translation>
    </message>
    <message>
        <source>{repo} is gated or private, so Hugging Face needs your permission to {action}. Open {page} in your browser, sign in and accept the licence, then create an access token at {tokens} and enter it in Parley.</source>
        <translation>{repo} 是受限或私有仓库，因此 Hugging Face 需要你的授权才能{action}。请在浏览器中打开 {page}，登录并接受许可协议，然后在 {tokens} 创建访问令牌，并在 Parley 中填写。</translation>
    </message>
    <message>
        <source>The download of {name} was cancelled.</source>
        <translation>{name} 的下载已取消。</translation>
    </message>
    <message>
        <source>{name} is already downloading.</source>
        <translation>{name} 已在下载中。</translation>
    </message>
    <message>
        <source>Download paused: {name} will continue where it stopped.</source>
        <translation>下载已暂停：{name} 会从中断处继续。</translation>
    </message>
    <message>
        <source>Parley could not write {name} to {folder} ({error}). Check that the models folder exists and is writable.</source>
        <translation>Parley 无法把 {name} 写入 {folder}（{error}）。请检查模型文件夹是否存在且可写。</translation>
    </message>
    <message>
        <source>Not enough disk space for {name}: it needs {needed} (including a {margin} safety margin) but only {free} is free in {folder}. Free up space or choose a smaller file.</source>
        <translation>磁盘空间不足以保存 {name}：需要 {needed}（含 {margin} 的安全余量），但 {folder} 中只有 {free} 可用。请释放空间，或选择更小的文件。</translation>
    </message>
    <message>
        <source>{name} is already being downloaded into {folder} (by another Parley window or a `parley models download`). Let that download finish, or pause it there, then try again.</source>
        <translation>{name} 已在下载到 {folder}（由另一个 Parley 窗口或 `parley models download` 进行）。请等那个下载完成，或在那里暂停它，然后重试。</translation>
    </message>
    <message>
        <source>the connection closed early</source>
        <translation>连接过早关闭</translation>
    </message>
    <message>
        <source>The server keeps cutting {name} short: every answer ends at byte {done:,} of the {size:,} bytes Hugging Face lists ({error}). The file on the server may be smaller than listed; try again later, it will continue where it stopped.</source>
        <translation>服务器一直提前截断 {name}：每次应答都停在第 {done:,} 字节，而 Hugging Face 列出的大小是 {size:,} 字节（{error}）。服务器上的文件可能比列出的小；请稍后重试，下载会从中断处继续。</translation>
    </message>
    <message>
        <source>The download of {name} keeps failing ({error}). Check your internet connection and try again; it will continue where it stopped.</source>
        <translation>{name} 的下载一直失败（{error}）。请检查网络连接后重试；下载会从中断处继续。</translation>
    </message>
    <message>
        <source>{name} failed verification: the file on disk has {on_disk:,} bytes instead of {size:,} (something else changed the partial file). It was deleted; download it again.</source>
        <translation>{name} 校验失败：磁盘上的文件有 {on_disk:,} 字节，而不是 {size:,} 字节（有其他程序改动了未完成的文件）。它已被删除；请重新下载。</translation>
    </message>
    <message>
        <source>{name} failed verification: the checksum does not match the one Hugging Face lists, so it arrived damaged or was changed on disk while downloading. The partial file was deleted; download it again.</source>
        <translation>{name} 校验失败：校验和与 Hugging Face 列出的不一致，说明文件在传输中损坏，或在下载期间在磁盘上被改动。未完成的文件已被删除；请重新下载。</translation>
    </message>
    <message>
        <source>{name} on the server is not the size Hugging Face lists: the listing says {size:,} bytes, the server has {served:,}. The partial file was deleted. Refresh the file list and try again later; if it keeps happening, the repository is broken.</source>
        <translation>服务器上的 {name} 与 Hugging Face 列出的大小不符：列表中是 {size:,} 字节，服务器上是 {served:,} 字节。未完成的文件已被删除。请刷新文件列表，稍后重试；如果一直如此，说明该仓库有问题。</translation>
    </message>
    <message>
        <source>the server answered HTTP {status}</source>
        <translation>服务器返回了 HTTP {status}</translation>
    </message>
    <message>
        <source>the server sent a different part of the file than asked for</source>
        <translation>服务器发来的文件片段与请求的不同</translation>
    </message>
    <message>
        <source>Hugging Face sent more data for {name} than the {size} it lists. Refresh the file list and try again.</source>
        <translation>Hugging Face 为 {name} 发来的数据超过了它列出的 {size}。请刷新文件列表后重试。</translation>
    </message>
    <message>
        <source>download {name}</source>
        <translation>下载 {name}</translation>
    </message>
    <message>
        <source>{name} from {repo} downloaded completely but is not a usable GGUF model: {problem}. The file was deleted. {hint}</source>
        <translation>来自 {repo} 的 {name} 已下载完成，但不是可用的 GGUF 模型：{problem}。该文件已被删除。{hint}</translation>
    </message>
    <message>
        <source>A different file named "{name}" is already in your models folder ({folder}). Rename or move that file, then download again.</source>
        <translation>你的模型文件夹（{folder}）中已有另一个名为“{name}”的文件。请重命名或移走那个文件，然后重新下载。</translation>
    </message>
    <message>
        <source>{count:,} bytes</source>
        <translation>{count:,} 字节</translation>
    </message>
    <message>
        <source>it is empty</source>
        <translation>它是空的</translation>
    </message>
    <message>
        <source>it contains a backslash, which is a folder separator on Windows</source>
        <translation>它包含反斜杠，而反斜杠在 Windows 上是文件夹分隔符</translation>
    </message>
    <message>
        <source>it contains control or invisible characters</source>
        <translation>它包含控制字符或不可见字符</translation>
    </message>
    <message>
        <source>it is an absolute path</source>
        <translation>它是绝对路径</translation>
    </message>
    <message>
        <source>it has an empty, "." or ".." folder in its path</source>
        <translation>它的路径中有空的、“.”或“..”文件夹</translation>
    </message>
    <message>
        <source>it starts with a dot (a hidden file)</source>
        <translation>它以点开头（隐藏文件）</translation>
    </message>
    <message>
        <source>it contains one of &lt; &gt; : " | ? *, which Windows does not allow in file names</source>
        <translation>它包含 &lt; &gt; : " | ? * 之一，Windows 不允许文件名中出现这些字符</translation>
    </message>
    <message>
        <source>it is a name Windows reserves</source>
        <translation>它是 Windows 保留的名称</translation>
    </message>
    <message>
        <source>it is longer than {most} bytes</source>
        <translation>它超过了 {most} 字节</translation>
    </message>
    <message>
        <source>Parley refuses the file name "{name}" from {repo}: {reason}. Only plain file names are downloaded into the models folder; ask the repository's owner to rename it.</source>
        <translation>Parley 拒绝来自 {repo} 的文件名“{name}”：{reason}。只有普通文件名才会下载到模型文件夹；请让仓库所有者重命名它。</translation>
    </message>
</context>
<context>
    <name>InferenceError</name>
    <message>
        <source>This model runtime cannot show token boundaries.</source>
        <translation>此模型运行时无法显示词元边界。</translation>
    </message>
    <message>
        <source>This model runtime cannot show next-token distributions.</source>
        <translation>此模型运行时无法显示下一个词元的分布。</translation>
    </message>
    <message>
        <source>This model runtime cannot return log-probabilities, so it cannot score by “Most likely answer”. Choose a rule that reads the generated text.</source>
        <translation>此模型运行时无法返回对数概率，因此不能按“最可能的答案”评分。请选择一个读取生成文本的规则。</translation>
    </message>
    <message>
        <source>This model runtime cannot score text.</source>
        <translation>此模型运行时无法为文本评分。</translation>
    </message>
    <message>
        <source>Stopped before the model began its reply.</source>
        <translation>在模型开始回复之前已停止。</translation>
    </message>
    <message>
        <source>Your message alone is more than {at_least:,} tokens, longer than the model's whole context ({n_ctx:,} tokens), so the model cannot read it. Shorten it or split it over several messages, or load the model with a longer context (Models page).</source>
        <translation>仅你的消息就超过 {at_least:,} 个词元，比模型的整个上下文（{n_ctx:,} 个词元）还长，因此模型无法读取它。请缩短它或拆成几条消息，或以更长的上下文加载模型（“模型”页面）。</translation>
    </message>
    <message>
        <source>The prompt is more than {at_least:,} tokens but the context holds {n_ctx:,}. Shorten the message or the system prompt, or start a new chat.</source>
        <translation>提示词超过 {at_least:,} 个词元，但上下文只能容纳 {n_ctx:,} 个。请缩短消息或系统提示词，或开始新对话。</translation>
    </message>
    <message>
        <source>The chat template could not render this conversation. Choose another template.</source>
        <translation>对话模板无法渲染此对话。请选择其他模板。</translation>
    </message>
    <message>
        <source>Line {line}: {error}</source>
        <translation>第 {line} 行：{error}</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name} ({error}). The file may be incomplete or need a newer llama.cpp; try another model or quantisation.</source>
        <translation>llama.cpp 无法加载 {name}（{error}）。文件可能不完整，或需要更新版本的 llama.cpp；请尝试其他模型或量化版本。</translation>
    </message>
    <message>
        <source>No model is loaded yet. Wait for the model to finish loading, or choose one.</source>
        <translation>尚未加载模型。请等待模型加载完成，或选择一个模型。</translation>
    </message>
    <message>
        <source>There is no prompt to evaluate: type a message or a prompt first.</source>
        <translation>没有可评估的提示词：请先输入消息或提示词。</translation>
    </message>
    <message>
        <source>The prompt is {tokens} tokens but the context holds {n_ctx}. Start a new chat or shorten the system prompt.</source>
        <translation>提示词有 {tokens} 个词元，但上下文只能容纳 {n_ctx} 个。请开始新对话，或缩短系统提示词。</translation>
    </message>
    <message>
        <source>That point is {tokens} tokens into the text but the context holds {n_ctx}.</source>
        <translation>该位置在文本的第 {tokens} 个词元处，但上下文只能容纳 {n_ctx} 个。</translation>
    </message>
    <message>
        <source>There is no text to predict from: type a message or a prompt first.</source>
        <translation>没有可用于预测的文本：请先输入消息或提示词。</translation>
    </message>
    <message>
        <source>The prompt is {tokens} tokens but the context holds {n_ctx}.</source>
        <translation>提示词有 {tokens} 个词元，但上下文只能容纳 {n_ctx} 个。</translation>
    </message>
    <message>
        <source>The prompt and the longest answer do not fit the context; load the model with a longer context.</source>
        <translation>提示词加上最长的答案超出了上下文；请以更长的上下文加载模型。</translation>
    </message>
    <message>
        <source>The answer {answer} becomes no tokens for this model; give every label some text.</source>
        <translation>答案 {answer} 对此模型来说不产生任何词元；请给每个标签一些文本。</translation>
    </message>
    <message>
        <source>The answer {answer}… is {tokens} tokens; labels for likelihood scoring may have at most {most}.</source>
        <translation>答案 {answer}… 有 {tokens} 个词元；用于似然评分的标签最多只能有 {most} 个。</translation>
    </message>
    <message>
        <source>There is no text to score: paste or open some text first.</source>
        <translation>没有可评分的文本：请先粘贴或打开一些文本。</translation>
    </message>
    <message>
        <source>The model file {name} is no longer on disk, so Parley cannot use it any more (it was loaded from there). Load a model from the Models page.</source>
        <translation>模型文件 {name} 已不在磁盘上，因此 Parley 无法再使用它（模型是从那里加载的）。请在“模型”页面加载一个模型。</translation>
    </message>
    <message>
        <source>size {then:,} bytes when loaded, {now:,} now</source>
        <translation>加载时大小为 {then:,} 字节，现在为 {now:,}</translation>
    </message>
    <message>
        <source>modified since</source>
        <translation>加载后被修改过</translation>
    </message>
    <message>
        <source>The model file {name} changed on disk since it was loaded ({change}). Reload it from the Models page.</source>
        <translation>模型文件 {name} 在加载后于磁盘上发生了变化（{change}）。请在“模型”页面重新加载它。</translation>
    </message>
    <message>
        <source>{engine} does not serve “{model}” any more (it serves: {served}). Choose one of those on the Models page.</source>
        <translation>{engine} 不再提供“{model}”（它提供的是：{served}）。请在“模型”页面从中选择一个。</translation>
    </message>
    <message>
        <source>{name} cannot show token boundaries.</source>
        <translation>{name} 无法显示词元边界。</translation>
    </message>
    <message>
        <source>{name} cannot continue a reply from a chosen token.</source>
        <translation>{name} 无法从所选词元继续回复。</translation>
    </message>
    <message>
        <source>The prompt is at least {tokens} tokens but {engine} runs this model with a context of {n_ctx}. Start a new chat or shorten the system prompt.</source>
        <translation>提示词至少有 {tokens} 个词元，但 {engine} 运行此模型的上下文只有 {n_ctx}。请开始新对话，或缩短系统提示词。</translation>
    </message>
    <message>
        <source>{name} does not send token probabilities.</source>
        <translation>{name} 不发送词元概率。</translation>
    </message>
    <message>
        <source>{name} can show the distribution after the prompt only.</source>
        <translation>{name} 只能显示紧接提示词之后的分布。</translation>
    </message>
    <message>
        <source>{name} sent no candidates for the next token.</source>
        <translation>{name} 没有发来下一个词元的候选。</translation>
    </message>
    <message>
        <source>{name} does not return the prompt's log-probabilities, so Parley cannot score by “Most likely answer” on it. Use a model on this computer, or a vLLM server. Choose a rule that reads the generated text.</source>
        <translation>{name} 不返回提示词的对数概率，因此 Parley 无法在它上面按“最可能的答案”评分。请使用这台电脑上的模型，或 vLLM 服务器。请选择一个读取生成文本的规则。</translation>
    </message>
    <message>
        <source>{name} does not return the prompt's log-probabilities, so Parley cannot score text (perplexity) on it. Use a model on this computer, or a vLLM server.</source>
        <translation>{name} 不返回提示词的对数概率，因此 Parley 无法在它上面为文本评分（困惑度）。请使用这台电脑上的模型，或 vLLM 服务器。</translation>
    </message>
    <message>
        <source>{message}

Parley opened the built-in model instead.</source>
        <translation>{message}

Parley 已改为打开内置模型。</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}: {error}). The details are in Parley's log (Help › Open log folder).</source>
        <translation>出错了（{kind}: {error}）。详细信息在 Parley 的日志中（“帮助 › 打开日志文件夹”）。</translation>
    </message>
    <message>
        <source>Unexpected error while loading {name}: {error}</source>
        <translation>加载 {name} 时发生意外错误：{error}</translation>
    </message>
    <message>
        <source>Generation failed: {error}</source>
        <translation>生成失败：{error}</translation>
    </message>
</context>
<context>
    <name>Offload</name>
    <message>
        <source>{backend} on {engine}</source>
        <translation>{engine} 上的 {backend}</translation>
    </message>
    <message>
        <source>CPU · {kernels} kernels · %n threads</source>
        <translation>CPU · {kernels} 内核 · %n 个线程</translation>
    </message>
    <message>
        <source>CPU build · %n threads</source>
        <translation>CPU 版本 · %n 个线程</translation>
    </message>
    <message>
        <source>{backend} build, CPU only · {kernels} kernels · %n threads</source>
        <translation>{backend} 版本，仅用 CPU · {kernels} 内核 · %n 个线程</translation>
    </message>
    <message>
        <source>{backend} build, CPU only · %n threads</source>
        <translation>{backend} 版本，仅用 CPU · %n 个线程</translation>
    </message>
    <message>
        <source>{backend} · {layers}/{total} layers on GPU</source>
        <translation>{backend} · GPU 上 {layers}/{total} 层</translation>
    </message>
    <message>
        <source>Running on {engine}, a {backend} server: prompts and replies go to that server</source>
        <translation>运行在 {engine}（一台 {backend} 服务器）上：提示词和回复会发送到该服务器</translation>
    </message>
    <message>
        <source>Running on the CPU with its {kernels} kernels (this build has no GPU support)</source>
        <translation>在 CPU 上运行，使用 {kernels} 内核（此版本不支持 GPU）</translation>
    </message>
    <message>
        <source>Running on the CPU (this build has no GPU support)</source>
        <translation>在 CPU 上运行（此版本不支持 GPU）</translation>
    </message>
    <message>
        <source>Running on the CPU: no layers on the GPU (this build supports {backend})</source>
        <translation>在 CPU 上运行：没有层放在 GPU 上（此版本支持 {backend}）</translation>
    </message>
    <message>
        <source>Using {backend} with {layers} of {total} layers on the GPU</source>
        <translation>使用 {backend}，{total} 层中有 {layers} 层在 GPU 上</translation>
    </message>
    <message>
        <source>CPU only (this build of llama.cpp has no GPU support)</source>
        <translation>仅 CPU（此 llama.cpp 版本不支持 GPU）</translation>
    </message>
    <message>
        <source>{backend} (GPU offload supported)</source>
        <translation>{backend}（支持 GPU 卸载）</translation>
    </message>
    <message>
        <source>all {total} layers</source>
        <translation>全部 {total} 层</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>全部层</translation>
    </message>
    <message>
        <source>{requested} of {total} layers</source>
        <translation>其中 {requested} 层（共 {total} 层）</translation>
    </message>
    <message>
        <source>{requested} layers</source>
        <translation>这 {requested} 层</translation>
    </message>
    <message>
        <source>, nor with {layers}</source>
        <translation>，用 {layers} 层也不行</translation>
    </message>
    <message>
        <source>, nor with {layers} or {last}</source>
        <translation>，用 {layers} 或 {last} 层也不行</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>(llama.cpp could not load it with {wanted} on the GPU{nor}: “{error}”. To skip these attempts next time, set fewer GPU layers for this model on the Models page.)</source>
        <translation>（在 GPU 上放{wanted}时，llama.cpp 无法加载它{nor}：“{error}”。要在下次跳过这些尝试，请在“模型”页面为此模型设置更少的 GPU 层数。）</translation>
    </message>
    <message>
        <source>Not enough GPU memory for {wanted}: loaded on the CPU only, which is slower. {detail}</source>
        <translation>GPU 显存不足以容纳{wanted}：已改为只在 CPU 上加载，速度较慢。{detail}</translation>
    </message>
    <message>
        <source>Not enough GPU memory for {wanted}: loaded with {layers} on the GPU and the rest on the CPU. {detail}</source>
        <translation>GPU 显存不足以容纳{wanted}：已改为 {layers} 层放在 GPU 上，其余在 CPU 上。{detail}</translation>
    </message>
</context>
</TS>
