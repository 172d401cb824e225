<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>DownloadManager</name>
    <message>
        <source>The download of {name} stopped unexpectedly ({error}). Try again.</source>
        <translation>{name} 的下载意外中止（{error}）。请重试。</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>下载失败。</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source> · {duration} left</source>
        <translation> · 剩余 {duration}</translation>
    </message>
    <message>
        <source>{h} h {min} min</source>
        <translation>{h} 小时 {min} 分</translation>
    </message>
    <message>
        <source>{min} min {s} s</source>
        <translation>{min} 分 {s} 秒</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
</context>
<context>
    <name>DownloadQueueView</name>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
</context>
<context>
    <name>EngineDirectory</name>
    <message>
        <source>Probing {name} failed: {error}</source>
        <translation>探测 {name} 失败：{error}</translation>
    </message>
</context>
<context>
    <name>EnginesDialog</name>
    <message>
        <source>Engines</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Where models run: this computer, or a server you added.</source>
        <translation>模型在哪里运行：本机，或你添加的服务器。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Forget this server and its API key</source>
        <translation>忘记此服务器及其 API 密钥</translation>
    </message>
    <message>
        <source>Probe again</source>
        <translation>重新探测</translation>
    </message>
    <message>
        <source>Ask the server again what it serves and what it can do</source>
        <translation>再次询问服务器提供哪些模型、具备哪些功能</translation>
    </message>
    <message>
        <source>gpu-box</source>
        <comment>an example name for a server</comment>
        <translation>显卡服务器</translation>
    </message>
    <message>
        <source>The server&apos;s base address: llama-server listens on port 8080, vLLM on 8000. A trailing /v1 is fine.</source>
        <translation>服务器的基础地址：llama-server 监听 8080 端口，vLLM 监听 8000 端口。末尾带 /v1 也可以。</translation>
    </message>
    <message>
        <source>optional (llama-server --api-key, vllm serve --api-key)</source>
        <translation>可选（llama-server --api-key、vllm serve --api-key）</translation>
    </message>
    <message>
        <source>Add and probe</source>
        <translation>添加并探测</translation>
    </message>
    <message>
        <source>Keep this server and ask it what it serves and what it can do</source>
        <translation>保存此服务器，并询问它提供哪些模型、具备哪些功能</translation>
    </message>
    <message>
        <source>Add a server</source>
        <translation>添加服务器</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>What it can do</source>
        <translation>功能</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>How long a server may stay silent before a request fails. A big model&apos;s first token on a busy server can take a minute.</source>
        <translation>服务器无响应多久后请求判为失败。在繁忙的服务器上，大模型的第一个词元可能需要一分钟。</translation>
    </message>
    <message>
        <source>Wait for a server up to</source>
        <translation>等待服务器最长</translation>
    </message>
    <message>
        <source>The API key is saved. {where}</source>
        <translation>API 密钥已保存。{where}</translation>
    </message>
    <message>
        <source>{name} was removed, with its API key. Its models are no longer on the Models page.</source>
        <translation>已移除 {name} 及其 API 密钥。它的模型不再显示在“模型”页上。</translation>
    </message>
    <message>
        <source>This computer — in-process llama.cpp</source>
        <translation>本机 — 进程内 llama.cpp</translation>
    </message>
    <message>
        <source>Models on this computer run inside Parley. Always there; it cannot be removed.</source>
        <translation>本机上的模型在 Parley 内部运行。始终存在，无法移除。</translation>
    </message>
    <message>
        <source>{kind}, %n model(s)</source>
        <translation>{kind}，%n 个模型</translation>
    </message>
    <message>
        <source>Not probed yet</source>
        <translation>尚未探测</translation>
    </message>
    <message>
        <source>Save and probe</source>
        <translation>保存并探测</translation>
    </message>
    <message>
        <source>Change {name}</source>
        <translation>修改 {name}</translation>
    </message>
    <message>
        <source>In-process llama.cpp</source>
        <translation>进程内 llama.cpp</translation>
    </message>
    <message>
        <source>The models on the Models page run inside Parley.</source>
        <translation>“模型”页上的模型在 Parley 内部运行。</translation>
    </message>
    <message>
        <source>Probing {name}…</source>
        <translation>正在探测 {name}…</translation>
    </message>
    <message>
        <source>Asking {name} what it serves and what it can do…</source>
        <translation>正在询问 {name} 提供哪些模型、具备哪些功能…</translation>
    </message>
    <message>
        <source>Not reachable when last probed.</source>
        <translation>上次探测时无法连接。</translation>
    </message>
    <message>
        <source>{error} Parley keeps {name} in the list: probe it again once the server is up, or remove it.</source>
        <translation>{error} Parley 会将 {name} 保留在列表中：服务器启动后请重新探测，或将其移除。</translation>
    </message>
    <message>
        <source> (context {tokens} tokens)</source>
        <translation>（上下文 {tokens} 个词元）</translation>
    </message>
    <message>
        <source>{kind}, version {version}</source>
        <translation>{kind}，版本 {version}</translation>
    </message>
    <message>
        <source>Models it serves (on the Models page):</source>
        <translation>它提供的模型（显示在“模型”页上）：</translation>
    </message>
    <message>
        <source>{name} is {article} {kind} serving %n model(s); they are listed on the Models page.</source>
        <translation>{name} 是一个 {kind} 服务器，提供 %n 个模型；它们列在“模型”页上。</translation>
    </message>
    <message>
        <source>Not probed yet.</source>
        <translation>尚未探测。</translation>
    </message>
</context>
<context>
    <name>HubBrowser</name>
    <message>
        <source>Most downloaded</source>
        <translation>下载最多</translation>
    </message>
    <message>
        <source>Most liked</source>
        <translation>点赞最多</translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation>最近更新</translation>
    </message>
    <message>
        <source>Offline: Parley makes no network requests while offline mode is on, so it cannot search or download models. Turn off offline mode (and unset HF_HUB_OFFLINE) to use Hugging Face.</source>
        <translation>离线：离线模式开启时 Parley 不发出任何网络请求，因此无法搜索或下载模型。要使用 Hugging Face，请关闭离线模式（并取消设置 HF_HUB_OFFLINE）。</translation>
    </message>
    <message>
        <source>Search GGUF models on Hugging Face, e.g. qwen, llama, gemma</source>
        <translation>在 Hugging Face 上搜索 GGUF 模型，例如 qwen、llama、gemma</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Searching Hugging Face…</source>
        <translation>正在搜索 Hugging Face…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop waiting for this search</source>
        <translation>不再等待这次搜索</translation>
    </message>
    <message>
        <source>Hugging Face access token (hf_…)</source>
        <translation>Hugging Face 访问令牌（hf_…）</translation>
    </message>
    <message>
        <source>Save token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Shards</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>Memory (4096 ctx)</source>
        <translation>内存（4096 上下文）</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Download the selected file (all shards of a split model) to the library</source>
        <translation>将所选文件（分片模型的全部分片）下载到模型库</translation>
    </message>
    <message>
        <source>Searching Hugging Face for “{query}”…</source>
        <translation>正在 Hugging Face 上搜索“{query}”…</translation>
    </message>
    <message>
        <source>Something went wrong talking to Hugging Face ({error}).</source>
        <translation>与 Hugging Face 通信时出错（{error}）。</translation>
    </message>
    <message>
        <source>Access token saved.</source>
        <translation>访问令牌已保存。</translation>
    </message>
    <message>
        <source>Recommended chat models for a start</source>
        <translation>推荐入门的对话模型</translation>
    </message>
    <message>
        <source>%n GGUF repositories</source>
        <translation>%n 个 GGUF 仓库</translation>
    </message>
    <message>
        <source>No GGUF repositories found</source>
        <translation>未找到 GGUF 仓库</translation>
    </message>
    <message>
        <source> · 🔒 gated</source>
        <translation> · 🔒 需申请访问</translation>
    </message>
    <message>
        <source> and %n more</source>
        <translation>及另外 %n 个</translation>
    </message>
    <message>
        <source>Not listed: &quot;{name}&quot;{others}, because Parley refuses file names that could escape or hide in the models folder ({reason}).</source>
        <translation>未列出：“{name}”{others}，因为 Parley 拒绝可能逃出或藏匿于模型文件夹的文件名（{reason}）。</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>{index} of {count}</source>
        <translation>第 {index} / {count} 片</translation>
    </message>
    <message>
        <source>{fit} (about {size})</source>
        <translation>{fit}（约 {size}）</translation>
    </message>
</context>
<context>
    <name>LibraryController</name>
    <message>
        <source>Add GGUF models</source>
        <translation>添加 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>{name} is already in the library; nothing was copied.</source>
        <translation>{name} 已在模型库中，未复制任何文件。</translation>
    </message>
    <message>
        <source>{name} could not be copied into the library ({reason}). Check that {folder} is writable and has room.</source>
        <translation>无法将 {name} 复制到模型库（{reason}）。请检查 {folder} 是否可写且有足够空间。</translation>
    </message>
    <message>
        <source>Add %n model file(s) ({size}) by copying them into Parley&apos;s models folder, or use them where they are?</source>
        <translation>添加 %n 个模型文件（{size}）：复制到 Parley 的模型文件夹，还是在原位置使用？</translation>
    </message>
    <message>
        <source>Add models</source>
        <translation>添加模型</translation>
    </message>
    <message>
        <source>Copy into library</source>
        <translation>复制到模型库</translation>
    </message>
    <message>
        <source>Use in place</source>
        <translation>原位置使用</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from disk? This cannot be undone.</source>
        <translation>从磁盘删除 {name}（{size}）？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>{name} could not be deleted ({reason}).</source>
        <translation>无法删除 {name}（{reason}）。</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Quantisation</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Shards</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>远程</translation>
    </message>
    <message>
        <source>on the server</source>
        <translation>在服务器上</translation>
    </message>
    <message>
        <source>unusable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>{name} (built-in)</source>
        <translation>{name}（内置）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>no (base model?)</source>
        <translation>无（基础模型？）</translation>
    </message>
    <message>
        <source>{fit} ({size} at {context} ctx)</source>
        <translation>{fit}（{context} 上下文时 {size}）</translation>
    </message>
    <message>
        <source>{model}, served by the engine {engine} (Settings › Engines)</source>
        <translation>{model}，由引擎 {engine} 提供（设置 › 引擎）</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Add GGUF files (or drop them on the window)</source>
        <translation>添加 GGUF 文件（或将其拖放到窗口上）</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Chat with the selected model</source>
        <translation>与所选模型对话</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Open the file&apos;s folder</source>
        <translation>打开文件所在的文件夹</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Delete the selected model from disk</source>
        <translation>从磁盘删除所选模型</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Scan the folders again</source>
        <translation>重新扫描文件夹</translation>
    </message>
    <message>
        <source>%n usable model(s)</source>
        <translation>%n 个可用模型</translation>
    </message>
    <message>
        <source>, {unusable} unusable, {size} on disk</source>
        <translation>，{unusable} 个不可用，占用磁盘 {size}</translation>
    </message>
    <message>
        <source>, %n on engines</source>
        <translation>，引擎上 %n 个</translation>
    </message>
</context>
<context>
    <name>ModelSettingsPanel</name>
    <message>
        <source>All layers</source>
        <translation>全部层</translation>
    </message>
    <message>
        <source>None: CPU only</source>
        <translation>无：仅用 CPU</translation>
    </message>
    <message>
        <source>A number of layers</source>
        <translation>指定层数</translation>
    </message>
    <message>
        <source>This build of llama.cpp has no GPU support (CPU build)</source>
        <translation>此版本的 llama.cpp 不支持 GPU（CPU 版本）</translation>
    </message>
    <message>
        <source>Layers offloaded to the GPU; fewer layers use less video memory and more RAM.</source>
        <translation>卸载到 GPU 的层数；层数越少，占用显存越少、内存越多。</translation>
    </message>
    <message>
        <source>Settings for the selected model (used the next time it loads)</source>
        <translation>所选模型的设置（下次加载时生效）</translation>
    </message>
    <message>
        <source>Default ({context})</source>
        <translation>默认（{context}）</translation>
    </message>
    <message>
        <source>How many tokens of conversation the model can see. More needs more memory.</source>
        <translation>模型能看到的对话词元数。越多需要越多内存。</translation>
    </message>
    <message>
        <source>A rough estimate from the file&apos;s header: weights, KV cache at the context length, compute buffers.</source>
        <translation>根据文件头粗略估算：权重、该上下文长度下的 KV 缓存、计算缓冲区。</translation>
    </message>
    <message>
        <source>Default system prompt for new chats with this model</source>
        <translation>用此模型新建对话时的默认系统提示词</translation>
    </message>
    <message>
        <source>Keep current settings</source>
        <translation>保持当前设置</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Sampling preset</source>
        <translation>采样预设</translation>
    </message>
    <message>
        <source>≈ {ram} in RAM (CPU build)</source>
        <translation>≈ 内存 {ram}（CPU 版本）</translation>
    </message>
    <message>
        <source>≈ {ram} in RAM, nothing on the GPU</source>
        <translation>≈ 内存 {ram}，GPU 上无</translation>
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
        <source>{layers} of {total} layers</source>
        <translation>{total} 层中的 {layers} 层</translation>
    </message>
    <message>
        <source>≈ {gpu} on GPU, {ram} in RAM with {share}</source>
        <translation>≈ GPU {gpu}，内存 {ram}，使用{share}</translation>
    </message>
    <message>
        <source>≈ {gpu} on GPU with {share}</source>
        <translation>≈ GPU {gpu}，使用{share}</translation>
    </message>
    <message>
        <source> · more than the {vram} of free video memory: Parley will load fewer</source>
        <translation> · 超过 {vram} 的可用显存：Parley 会少加载一些层</translation>
    </message>
</context>
</TS>
