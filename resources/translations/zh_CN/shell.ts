<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>No telemetry. Nothing leaves this computer: Parley only goes online when you search or download models.</source>
        <translation>不收集任何遥测数据。一切都留在这台电脑上：Parley 只在你搜索或下载模型时联网。</translation>
    </message>
    <message>
        <source>Private, offline chat with language models that run on this computer.</source>
        <translation>与在这台电脑上运行的语言模型私密、离线地对话。</translation>
    </message>
    <message>
        <source>none: the CPU runs all {layers} layers (CPU build)</source>
        <translation>无：全部 {layers} 层由 CPU 运行（CPU 版本）</translation>
    </message>
    <message>
        <source>none: the CPU runs all {layers} layers</source>
        <translation>无：全部 {layers} 层由 CPU 运行</translation>
    </message>
    <message>
        <source>{on_gpu} of {layers} on the GPU ({backend})</source>
        <translation>{layers} 层中有 {on_gpu} 层在 GPU 上（{backend}）</translation>
    </message>
    <message>
        <source>none of this build's CPU kernels can run on this CPU</source>
        <translation>此版本的 CPU 内核都无法在这台电脑的 CPU 上运行</translation>
    </message>
    <message>
        <source>one set, built into llama.cpp</source>
        <translation>一套，内置于 llama.cpp</translation>
    </message>
    <message>
        <source>{label} ({variant}, chosen with PARLEY_CPU_VARIANT)</source>
        <translation>{label}（{variant}，由 PARLEY_CPU_VARIANT 指定）</translation>
    </message>
    <message>
        <source>{label} ({variant}: the fastest of the {usable} of {shipped} in this build that run on this CPU)</source>
        <translation>{label}（{variant}：此版本 {shipped} 套内核中有 {usable} 套能在这台电脑的 CPU 上运行，这是其中最快的）</translation>
    </message>
    <message>
        <source>llama.cpp backend</source>
        <translation>llama.cpp 后端</translation>
    </message>
    <message>
        <source>CPU kernels</source>
        <translation>CPU 内核</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>none loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>Layers on the GPU</source>
        <translation>GPU 上的层数</translation>
    </message>
    <message>
        <source>{version} on {system} {machine}</source>
        <translation>{version}，运行于 {system} {machine}</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <source>About Parley</source>
        <translation>关于 Parley</translation>
    </message>
    <message>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Copy these details to the clipboard, e.g. for a bug report</source>
        <translation>将这些信息复制到剪贴板，例如用于错误报告</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Parley: something went wrong</source>
        <translation>Parley：出错了</translation>
    </message>
    <message>
        <source>an unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong inside Parley: {summary}

Parley keeps running, but what you were doing may not have finished. If it happens again, please report it with the details below.</source>
        <translation>Parley 内部出错：{summary}

Parley 仍在运行，但你刚才的操作可能没有完成。如果再次出现，请附上下面的详细信息报告此问题。</translation>
    </message>
    <message>
        <source>The details are also in the log: {file}</source>
        <translation>详细信息也已写入日志：{file}</translation>
    </message>
    <message>
        <source>The log could not be written in {folder}: copy the details to keep them.</source>
        <translation>无法在 {folder} 中写入日志：请复制详细信息以便保存。</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>FirstRunPanel</name>
    <message>
        <source>Parley is a private chat app for language models that run entirely on this computer. Chat with a model, compare models side by side, build few-shot prompts and watch how a model chooses each token.</source>
        <translation>Parley 是一款私密的对话应用，所用的语言模型完全在这台电脑上运行。你可以与模型对话、并排比较多个模型、编写少样本提示词，并观察模型如何选择每一个词元。</translation>
    </message>
    <message>
        <source>Two small models come built in: {chat} answers in the chat (it was trained to follow instructions), and {base}, a base model that continues text, is for few-shot prompts on the Few-shot page. For longer, better answers, download a bigger chat model.</source>
        <translation>内置了两个小模型：{chat} 在对话中回答（它经过训练，能够遵循指令）；{base} 是一个续写文本的基础模型，用于“少样本”页面上的少样本提示词。想要更长、更好的回答，请下载一个更大的对话模型。</translation>
    </message>
    <message>
        <source>Welcome to Parley</source>
        <translation>欢迎使用 Parley</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Start chatting</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <source>Close this welcome and type a message below</source>
        <translation>关闭欢迎页，在下方输入消息</translation>
    </message>
    <message>
        <source>Find a chat model</source>
        <translation>查找对话模型</translation>
    </message>
    <message>
        <source>Search Hugging Face for a chat model to download</source>
        <translation>在 Hugging Face 上搜索可下载的对话模型</translation>
    </message>
    <message>
        <source>Loading the built-in chat model {name}…</source>
        <translation>正在加载内置对话模型 {name}…</translation>
    </message>
    <message>
        <source>Loading the built-in base model {name}…</source>
        <translation>正在加载内置基础模型 {name}…</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>No model is loaded yet: choose one on the Models page, or find one below.</source>
        <translation>尚未加载模型：请在“模型”页面选择一个，或在下方查找。</translation>
    </message>
    <message>
        <source>The built-in chat model {name} loaded and ready</source>
        <translation>内置对话模型 {name} 已加载，可以开始使用</translation>
    </message>
    <message>
        <source>The built-in base model {name} loaded and ready</source>
        <translation>内置基础模型 {name} 已加载，可以开始使用</translation>
    </message>
    <message>
        <source>{name} loaded and ready</source>
        <translation>{name} 已加载，可以开始使用</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>the system language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Parley will use {language} the next time it starts.</source>
        <translation>Parley 将在下次启动时使用{language}。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation>发送消息（Enter）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply; the text so far stays (Esc)</source>
        <translation>停止回复；已生成的文本会保留（Esc）</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Generate the last reply again</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start an empty conversation (Ctrl+N)</source>
        <translation>开始一个空白对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Token probabilities</source>
        <translation>词元概率</translation>
    </message>
    <message>
        <source>Show replies token by token, coloured by how likely the model found each one (deeper orange: less likely). Hover a token for its alternatives; click it to continue from another one.</source>
        <translation>逐个词元显示回复，按模型认为每个词元的可能性着色（橙色越深：可能性越低）。将鼠标悬停在词元上可查看其候选项；点击可从另一个词元继续生成。</translation>
    </message>
    <message>
        <source>How the conversation is turned into the text the model reads. Remembered for each model.</source>
        <translation>对话如何转换为模型读取的文本。每个模型分别记住。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Raw prompt</source>
        <translation>原始提示词</translation>
    </message>
    <message>
        <source>Sampling view</source>
        <translation>采样视图</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Export chat as &amp;Markdown…</source>
        <translation>将对话导出为 Markdown(&amp;M)…</translation>
    </message>
    <message>
        <source>Export chat as &amp;JSON…</source>
        <translation>将对话导出为 JSON(&amp;J)…</translation>
    </message>
    <message>
        <source>&amp;Import chat (JSON)…</source>
        <translation>导入对话（JSON）(&amp;I)…</translation>
    </message>
    <message>
        <source>Offline &amp;mode</source>
        <translation>离线模式(&amp;M)</translation>
    </message>
    <message>
        <source>Make no network requests at all; everything but the Hugging Face page works.</source>
        <translation>完全不发出网络请求；除 Hugging Face 页面外，其他功能均可正常使用。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Engines…</source>
        <translation>引擎(&amp;E)…</translation>
    </message>
    <message>
        <source>Run models on a server (llama-server, vLLM) as well as on this computer.</source>
        <translation>除了在这台电脑上运行，也可以在服务器（llama-server、vLLM）上运行模型。</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Parley</source>
        <translation>关于 Parley(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Parley's log and crash files, to look at or attach to a report.</source>
        <translation>Parley 的日志和崩溃文件，可供查看或附在问题报告中。</translation>
    </message>
    <message>
        <source>Few-shot</source>
        <translation>少样本</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>打开 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SettingsSaver</name>
    <message>
        <source>Parley cannot save its settings to {path} ({reason}). It keeps them and tries again every few seconds; free some space or check the folder's permissions.</source>
        <translation>Parley 无法将设置保存到 {path}（{reason}）。设置会保留在内存中，并每隔几秒重试一次；请释放一些磁盘空间或检查该文件夹的权限。</translation>
    </message>
    <message>
        <source>Parley's settings are saved again.</source>
        <translation>Parley 的设置已重新保存。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>在消息中换行</translation>
    </message>
    <message>
        <source>Stop the reply (the text so far stays)</source>
        <translation>停止回复（已生成的文本会保留）</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Regenerate the last reply</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <source>Search the saved chats</source>
        <translation>搜索已保存的对话</translation>
    </message>
    <message>
        <source>Copy the last reply</source>
        <translation>复制最后一条回复</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>打开模型文件</translation>
    </message>
    <message>
        <source>Move to the next / previous field (also out of the big text boxes)</source>
        <translation>移到下一个 / 上一个输入项（也可以跳出大文本框）</translation>
    </message>
    <message>
        <source>Type a tab in a big text box</source>
        <translation>在大文本框中输入制表符</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Go to {page}</source>
        <translation>转到“{page}”</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Copied the last reply</source>
        <translation>已复制最后一条回复</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>{error} Parley starts anyway but cannot save there: move what is in the way (or start Parley with --data-dir on another folder) and restart Parley.</source>
        <translation>{error} Parley 仍会启动，但无法在那里保存数据：请移走占用该位置的内容（或使用 --data-dir 指定另一个文件夹启动 Parley），然后重新启动 Parley。</translation>
    </message>
    <message>
        <source>There is no engine called “{name}” any more. Add it again in Settings › Engines, or choose another model.</source>
        <translation>名为“{name}”的引擎已不存在。请在“设置 › 引擎”中重新添加，或选择其他模型。</translation>
    </message>
    <message>
        <source>Your conversations were saved by a newer version of Parley, so this version shows them read-only and does not save new chats. Update Parley to continue.</source>
        <translation>你的对话由更新版本的 Parley 保存，因此此版本只能以只读方式显示它们，且不会保存新对话。请更新 Parley 后继续。</translation>
    </message>
    <message>
        <source>Download a model…</source>
        <translation>下载模型…</translation>
    </message>
    <message>
        <source>The built-in model could not be set up ({error}); open a model file with File › Open model.</source>
        <translation>无法设置内置模型（{error}）；请通过“文件 › 打开模型”打开一个模型文件。</translation>
    </message>
</context>
</TS>
