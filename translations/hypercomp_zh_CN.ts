<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>%1: the compressed archive cannot be read (%2).</source>
        <translation>%1：无法读取压缩归档（%2）。</translation>
    </message>
    <message>
        <source>%1: cannot be written (%2).</source>
        <translation>%1：无法写入（%2）。</translation>
    </message>
    <message>
        <source>%1: cannot be replaced (the folder is not writable).</source>
        <translation>%1：无法替换（文件夹不可写）。</translation>
    </message>
</context>
<context>
    <name>hc::AboutDialog</name>
    <message>
        <source>About HyperComp Workbench</source>
        <translation>关于 HyperComp Workbench</translation>
    </message>
    <message>
        <source>HyperComp Workbench</source>
        <translation>HyperComp Workbench</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>A workbench for hyper-compression of neural-network weights. Each pair of weights is stored as the index of the nearest sample on a one-dimensional trajectory that winds through a small box in the plane; outliers are pulled into the box by a few class rings. The workbench shows each layer&apos;s weight cloud, lets you tune the sample count U, the box side l and the class count K with live error and ratio readouts, and exports a configuration and a compressed archive.</source>
        <translation>用于神经网络权重超压缩的工作台。每对权重被存储为一条一维轨迹上最近采样点的索引，该轨迹在平面内的一个小方框中缠绕穿行；离群点由若干类别环拉入方框。工作台可显示每一层的权重点云，让您调节采样点数 U、方框边长 l 和类别数 K，并实时显示误差与压缩比，还可导出配置和压缩归档。</translation>
    </message>
    <message>
        <source>Implements the method of &lt;a href=&quot;%1&quot;&gt;Hyper-Compression: Model Compression via Hyperfunction&lt;/a&gt; (arXiv 2409.00592).</source>
        <translation>实现了论文 &lt;a href=&quot;%1&quot;&gt;Hyper-Compression: Model Compression via Hyperfunction&lt;/a&gt;（arXiv 2409.00592）中的方法。</translation>
    </message>
    <message>
        <source>Released under the MIT License. This program comes with absolutely no warranty.</source>
        <translation>基于 MIT 许可证发布。本程序不提供任何担保。</translation>
    </message>
    <message>
        <source>Qt %1 (built with Qt %2)</source>
        <translation>Qt %1（使用 Qt %2 构建）</translation>
    </message>
    <message>
        <source>LibTorch: not loaded</source>
        <translation>LibTorch：未加载</translation>
    </message>
    <message>
        <source>LibTorch %1</source>
        <translation>LibTorch %1</translation>
    </message>
</context>
<context>
    <name>hc::ArchiveRestoreJob</name>
    <message>
        <source>%1: the write did not run.</source>
        <translation>%1：写入没有运行。</translation>
    </message>
</context>
<context>
    <name>hc::AutoTuneDialog</name>
    <message>
        <source>Auto-Tune the Model</source>
        <translation>自动调优模型</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Maximum relative &amp;error per layer:</source>
        <translation>每层最大相对误差(&amp;E)：</translation>
    </message>
    <message>
        <source>Each layer gets the highest-ratio config whose relative error ‖w − ŵ‖ / ‖w‖ is at most this</source>
        <translation>每一层选用相对误差 ‖w − ŵ‖ / ‖w‖ 不超过此值的最高压缩比配置</translation>
    </message>
    <message>
        <source>The largest relative error any layer may have</source>
        <translation>任一层允许的最大相对误差</translation>
    </message>
    <message>
        <source>Total compression &amp;ratio:</source>
        <translation>总压缩比(&amp;R)：</translation>
    </message>
    <message>
        <source>The least total error whose model-wide ratio (all bytes in / all bytes out) reaches this</source>
        <translation>在整个模型的压缩比（输入总字节数 / 输出总字节数）达到此值的前提下，选取总误差最小的配置</translation>
    </message>
    <message>
        <source>The model-wide compression ratio to reach</source>
        <translation>整个模型要达到的压缩比</translation>
    </message>
    <message>
        <source> ×</source>
        <translation> ×</translation>
    </message>
    <message>
        <source>Grid to choose from</source>
        <translation>候选参数网格</translation>
    </message>
    <message>
        <source>Box sizes l: a comma-separated list of positive numbers</source>
        <translation>方框边长 l：以逗号分隔的正数列表</translation>
    </message>
    <message>
        <source>Class counts K (or K_max when automatic), such as 1-4</source>
        <translation>类别数 K（自动时为 K_max），例如 1-4</translation>
    </message>
    <message>
        <source>Fixed: use each K as given. Auto: the codec picks K from 1 to each value</source>
        <translation>固定：按给定值使用每个 K。自动：编解码器在 1 到每个值之间选取 K</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Sweep every layer over the grid in the background, then choose per layer</source>
        <translation>在后台对每一层按网格进行参数扫描，然后逐层选取配置</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop the running sweep</source>
        <translation>停止正在进行的参数扫描</translation>
    </message>
    <message>
        <source>Progress of the sweep over every layer</source>
        <translation>所有层参数扫描的进度</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>U</source>
        <translation>U</translation>
    </message>
    <message>
        <source>l</source>
        <translation>l</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>b/w</source>
        <translation>b/w</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Meets target</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>What each layer got; click a header to sort</source>
        <translation>每一层选定的配置；点击表头可排序</translation>
    </message>
    <message>
        <source>&amp;Apply to Layers</source>
        <translation>应用到各层(&amp;A)</translation>
    </message>
    <message>
        <source>Set these configs as per-layer overrides (undoable)</source>
        <translation>将这些配置设为逐层覆盖设置（可撤销）</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Close without changing any layer</source>
        <translation>关闭，不更改任何层</translation>
    </message>
    <message>
        <source>Choose a target and run: every layer is swept over the grid, then each gets its config.</source>
        <translation>请选择目标并运行：先对每一层按网格进行参数扫描，再为每层选定配置。</translation>
    </message>
    <message>
        <source>The grid is not valid: %1.</source>
        <translation>参数网格无效：%1。</translation>
    </message>
    <message>
        <source>Open a model to auto-tune.</source>
        <translation>请先打开模型再进行自动调优。</translation>
    </message>
    <message>
        <source>Sweeping %1 configs on every layer…</source>
        <translation>正在对每一层扫描 %1 个配置…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>The sweep was stopped; no layer was changed.</source>
        <translation>参数扫描已停止；未更改任何层。</translation>
    </message>
    <message>
        <source>The sweep failed: %1.</source>
        <translation>参数扫描失败：%1。</translation>
    </message>
    <message>
        <source>No configs could be chosen: %1.</source>
        <translation>无法选出配置：%1。</translation>
    </message>
    <message>
        <source>stored raw</source>
        <translation>原样存储</translation>
    </message>
    <message>
        <source>%1 σ</source>
        <translation>%1 σ</translation>
    </message>
    <message>
        <source>auto:%1 → %2</source>
        <translation>自动:%1 → %2</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>target met</source>
        <translation>已达到目标</translation>
    </message>
    <message>
        <source>target not met: the flagged layers got their least-error config</source>
        <translation>未达到目标：已标记的层采用了其误差最小的配置</translation>
    </message>
    <message>
        <source>target not met: every layer got its highest-ratio config</source>
        <translation>未达到目标：每一层均采用了其压缩比最高的配置</translation>
    </message>
    <message>
        <source>Whole model: ratio &lt;b&gt;%1×&lt;/b&gt; · relative error &lt;b&gt;%2&lt;/b&gt; · MAE %3 · %4 of %5 parameters compressed · %6</source>
        <translation>整个模型：压缩比 &lt;b&gt;%1×&lt;/b&gt; · 相对误差 &lt;b&gt;%2&lt;/b&gt; · MAE %3 · 已压缩 %4 / %5 个参数 · %6</translation>
    </message>
    <message>
        <source>Swept %1 configs on %2 layers. Change the target to choose again from the same sweep.</source>
        <translation>已在 %2 个层上扫描 %1 个配置。更改目标即可从同一次扫描结果中重新选择。</translation>
    </message>
</context>
<context>
    <name>hc::ClassHistogramView</name>
    <message>
        <source>No layer evaluated yet</source>
        <translation>尚未评估任何层</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>类别 %1</translation>
    </message>
</context>
<context>
    <name>hc::CodecControls</name>
    <message>
        <source>Codec settings</source>
        <translation>编解码器设置</translation>
    </message>
    <message>
        <source>&amp;U samples</source>
        <translation>采样点数 U(&amp;U)</translation>
    </message>
    <message>
        <source>U: the number of trajectory samples in the centre box (the codebook has U + 1 points). More samples: smaller error, more bits per weight. Squares fill the box evenly.</source>
        <translation>U：中心方框内的轨迹采样点数（码本共有 U + 1 个点）。采样点越多，误差越小，每权重比特数越多。取平方数时采样点均匀填满方框。</translation>
    </message>
    <message>
        <source>Drag through the squares U = m² (1 … %1)</source>
        <translation>拖动以在平方数 U = m²（1 … %1）之间选择</translation>
    </message>
    <message>
        <source>The arrows step to the next square.</source>
        <translation>使用箭头可跳到下一个平方数。</translation>
    </message>
    <message>
        <source>Set U = %1 (%2 × %2)</source>
        <translation>设置 U = %1（%2 × %2）</translation>
    </message>
    <message>
        <source>&amp;l box</source>
        <translation>方框边长 l(&amp;L)</translation>
    </message>
    <message>
        <source>l: the side of the centre box, in the weights&apos; own units. Pairs inside it are class 0; pairs outside are pulled in by their ring&apos;s scale.</source>
        <translation>l：中心方框的边长，以权重自身的单位表示。方框内的权重对属于类别 0；方框外的权重对按其所在环的缩放因子拉入方框。</translation>
    </message>
    <message>
        <source>l on a log scale from %1 to %2</source>
        <translation>l 采用对数刻度，范围为 %1 到 %2</translation>
    </message>
    <message>
        <source>The arrows change it by 10 %.</source>
        <translation>使用箭头每次调整 10%。</translation>
    </message>
    <message>
        <source>l in units of the layer&apos;s standard deviation σ</source>
        <translation>以该层标准差 σ 为单位的 l</translation>
    </message>
    <message>
        <source>&amp;K max</source>
        <translation>K 最大值(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;K classes</source>
        <translation>类别数 K(&amp;K)</translation>
    </message>
    <message>
        <source>K_max: the encoder tries K = 1 … K_max outlier rings and keeps the K with the lowest mean absolute error.</source>
        <translation>K_max：编码器尝试 K = 1 … K_max 个离群点环，并保留平均绝对误差最小的 K。</translation>
    </message>
    <message>
        <source>K: the number of outlier rings around the box. Each ring costs U + 1 more index values.</source>
        <translation>K：方框周围离群点环的数量。每增加一个环，需多占用 U + 1 个索引值。</translation>
    </message>
    <message>
        <source>auto up to K_max</source>
        <translation>自动（最多 K_max）</translation>
    </message>
    <message>
        <source>Choose K automatically (lowest mean absolute error) instead of fixing it</source>
        <translation>自动选择 K（平均绝对误差最小），而非使用固定值</translation>
    </message>
    <message>
        <source>Apply to</source>
        <translation>应用到</translation>
    </message>
    <message>
        <source>Where a change of U, l or K goes</source>
        <translation>U、l 或 K 的更改应用到何处</translation>
    </message>
    <message>
        <source>This layer</source>
        <translation>当前层</translation>
    </message>
    <message>
        <source>Changes become an override of the selected layer (marked * in the table)</source>
        <translation>更改将成为所选层的覆盖设置（在表中以 * 标记）</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>Changes set the defaults of every layer and drop the per-layer overrides</source>
        <translation>更改将设为所有层的默认值，并清除逐层覆盖设置</translation>
    </message>
    <message>
        <source>Use &amp;Defaults for This Layer</source>
        <translation>当前层使用默认值(&amp;D)</translation>
    </message>
    <message>
        <source>Drop this layer&apos;s override so that it follows the model defaults again</source>
        <translation>清除此层的覆盖设置，使其重新沿用模型默认值</translation>
    </message>
    <message>
        <source>l = %1 σ of this layer (σ = %2)</source>
        <translation>l = 此层的 %1 σ（σ = %2）</translation>
    </message>
</context>
<context>
    <name>hc::CompanderView</name>
    <message>
        <source>Index &amp;bits per weight:</source>
        <translation>每权重索引比特数(&amp;B)：</translation>
    </message>
    <message>
        <source>The density mode&apos;s index bits per weight (2·b bits per pair: U = m² lattice samples)</source>
        <translation>密度模式下每权重的索引比特数（每对 2·b 比特：U = m² 个格点采样点）</translation>
    </message>
    <message>
        <source>Compander G (density-matched)</source>
        <translation>压扩函数 G（按密度匹配）</translation>
    </message>
    <message>
        <source>G maps each weight w to u in [0, 1], steep where weights are dense; the histogram of w is drawn behind it</source>
        <translation>G 将每个权重 w 映射为 [0, 1] 中的 u，在权重密集处曲线较陡；背景绘制的是 w 的直方图</translation>
    </message>
    <message>
        <source>Pairs in u-space with the lattice</source>
        <translation>u 空间中的权重对与格点</translation>
    </message>
    <message>
        <source>Each pair (w[2i], w[2i+1]) mapped through G, and the U lattice samples it is quantised to</source>
        <translation>经 G 映射后的每对 (w[2i], w[2i+1])，以及它们被量化到的 U 个格点采样点</translation>
    </message>
    <message>
        <source>Weight value w</source>
        <translation>权重值 w</translation>
    </message>
    <message>
        <source>u = G(w)</source>
        <translation>u = G(w)</translation>
    </message>
    <message>
        <source>Share of weights per bin</source>
        <translation>每个区间的权重占比</translation>
    </message>
    <message>
        <source>G(w)</source>
        <translation>G(w)</translation>
    </message>
    <message>
        <source>Histogram of w</source>
        <translation>w 的直方图</translation>
    </message>
    <message>
        <source>u = G(w[2i])</source>
        <translation>u = G(w[2i])</translation>
    </message>
    <message>
        <source>v = G(w[2i+1])</source>
        <translation>v = G(w[2i+1])</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>权重对</translation>
    </message>
    <message>
        <source>Lattice samples</source>
        <translation>格点采样点</translation>
    </message>
    <message>
        <source>Unit square</source>
        <translation>单位正方形</translation>
    </message>
    <message>
        <source>No tensor selected</source>
        <translation>未选择张量</translation>
    </message>
    <message>
        <source>Density mode</source>
        <translation>密度模式</translation>
    </message>
    <message>
        <source>Density mode of %1</source>
        <translation>%1 的密度模式</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>The density mode cannot show this tensor: %1.</source>
        <translation>密度模式无法显示此张量：%1。</translation>
    </message>
    <message>
        <source>Showing %1 of %2 pairs (an even subsample) · %3</source>
        <translation>显示 %2 对中的 %1 对（均匀抽样） · %3</translation>
    </message>
    <message>
        <source>%1 pairs · %2</source>
        <translation>%1 对 · %2</translation>
    </message>
    <message>
        <source>Select a layer to see its density-matched compander.</source>
        <translation>选择一个层以查看其按密度匹配的压扩函数。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Density mode&lt;/b&gt; (%1 index bits per weight, %2 breakpoints): relative error &lt;b&gt;%3&lt;/b&gt; · MAE %4 · &lt;b&gt;%5 b/w&lt;/b&gt; stored</source>
        <translation>&lt;b&gt;密度模式&lt;/b&gt;（每权重 %1 索引比特，%2 个断点）：相对误差 &lt;b&gt;%3&lt;/b&gt; · MAE %4 · 存储 &lt;b&gt;%5 b/w&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Paper mode&lt;/b&gt; at the same index width (U %1, l %2, K auto up to %3): relative error &lt;b&gt;%4&lt;/b&gt; · MAE %5 · &lt;b&gt;%6 b/w&lt;/b&gt; stored</source>
        <translation>相同索引宽度下的&lt;b&gt;论文模式&lt;/b&gt;（U %1，l %2，K 自动，最多 %3）：相对误差 &lt;b&gt;%4&lt;/b&gt; · MAE %5 · 存储 &lt;b&gt;%6 b/w&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Density / paper error: &lt;b&gt;%1×&lt;/b&gt;</source>
        <translation>密度模式 / 论文模式误差：&lt;b&gt;%1×&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Paper mode: %1</source>
        <translation>论文模式：%1</translation>
    </message>
    <message>
        <source>%1 of U = %2 = %3 lattice samples</source>
        <translation>U = %2 = %3 个格点采样点中的 %1 个</translation>
    </message>
    <message>
        <source>U = %1 = %2 lattice samples</source>
        <translation>U = %1 = %2 个格点采样点</translation>
    </message>
</context>
<context>
    <name>hc::ErgodicCanvas</name>
    <message>
        <source>trajectory θ·a mod l</source>
        <translation>轨迹 θ·a mod l</translation>
    </message>
    <message>
        <source>samples, θ = 0 … U−1</source>
        <translation>采样点，θ = 0 … U−1</translation>
    </message>
    <message>
        <source>centre c</source>
        <translation>中心 c</translation>
    </message>
    <message>
        <source>box l × l</source>
        <translation>方框 l × l</translation>
    </message>
    <message>
        <source>class rings</source>
        <translation>类别环</translation>
    </message>
    <message>
        <source>pair p</source>
        <translation>权重对 p</translation>
    </message>
    <message>
        <source>pulled in q</source>
        <translation>拉入后 q</translation>
    </message>
    <message>
        <source>decoded p′</source>
        <translation>解码后 p′</translation>
    </message>
    <message>
        <source>first weight of the pair</source>
        <translation>权重对的第一个权重</translation>
    </message>
    <message>
        <source>second weight</source>
        <translation>第二个权重</translation>
    </message>
</context>
<context>
    <name>hc::ErgodicView</name>
    <message>
        <source>&lt;b&gt;One number for two weights.&lt;/b&gt; A line θ·a wrapped around the box (mod l) passes close to every point of it when its direction a is irrational. The codec keeps the U points it reaches at θ = 0 … U−1 and stores, for each pair of weights, the θ of the nearest one. Pairs outside the box are first pulled in by their class ring.</source>
        <translation>&lt;b&gt;用一个数表示两个权重。&lt;/b&gt;直线 θ·a 在方框内回绕（mod l），当方向 a 为无理方向时，它会从方框内每一点的附近经过。编解码器保留该直线在 θ = 0 … U−1 处到达的 U 个点，并为每对权重存储离它最近的那个点的 θ。方框外的权重对会先由其所属类别环拉入方框。</translation>
    </message>
    <message>
        <source>Trajectory</source>
        <translation>轨迹</translation>
    </message>
    <message>
        <source>&amp;Direction</source>
        <translation>方向(&amp;D)</translation>
    </message>
    <message>
        <source>Paper&apos;s optimum (1 : m)</source>
        <translation>论文中的最优方向（1 : m）</translation>
    </message>
    <message>
        <source>Rational 1 : 2 (closes, leaves gaps)</source>
        <translation>有理方向 1 : 2（会闭合，留下空隙）</translation>
    </message>
    <message>
        <source>Irrational 1 : √2</source>
        <translation>无理方向 1 : √2</translation>
    </message>
    <message>
        <source>Custom a_x : a_y</source>
        <translation>自定义 a_x : a_y</translation>
    </message>
    <message>
        <source>The direction a of the line θ·a. The paper&apos;s choice makes the U samples a sheared lattice; a rational direction closes on itself and leaves gaps; an irrational one never repeats and fills the box.</source>
        <translation>直线 θ·a 的方向 a。论文的选择使 U 个采样点构成错切格点；有理方向会自我闭合并留下空隙；无理方向永不重复，能填满方框。</translation>
    </message>
    <message>
        <source>a_x : a_y</source>
        <translation>a_x : a_y</translation>
    </message>
    <message>
        <source>Horizontal part of a custom direction (switches to the custom direction).</source>
        <translation>自定义方向的水平分量（会切换到自定义方向）。</translation>
    </message>
    <message>
        <source>Vertical part of a custom direction (switches to the custom direction).</source>
        <translation>自定义方向的垂直分量（会切换到自定义方向）。</translation>
    </message>
    <message>
        <source>Back to θ = 0</source>
        <translation>回到 θ = 0</translation>
    </message>
    <message>
        <source>&amp;Speed</source>
        <translation>速度(&amp;S)</translation>
    </message>
    <message>
        <source>How fast θ grows while playing: at 1× the whole trajectory takes 8 seconds.</source>
        <translation>播放时 θ 的增长速度：在 1× 时，完整轨迹需要 8 秒。</translation>
    </message>
    <message>
        <source>&amp;θ</source>
        <translation>&amp;θ</translation>
    </message>
    <message>
        <source>How far the trajectory is drawn: from θ = 0 to θ = U. Samples appear at every whole θ.</source>
        <translation>轨迹的绘制范围：从 θ = 0 到 θ = U。每个整数 θ 处出现一个采样点。</translation>
    </message>
    <message>
        <source>The farthest any point of the box lies from its nearest sample: the worst error an inner pair of weights can get with this codebook.</source>
        <translation>方框内任一点到其最近采样点的最大距离：即使用此码本时方框内的权重对可能出现的最大误差。</translation>
    </message>
    <message>
        <source>Codebook</source>
        <translation>码本</translation>
    </message>
    <message>
        <source>Samples &amp;U</source>
        <translation>采样点数 U(&amp;U)</translation>
    </message>
    <message>
        <source>Box &amp;l</source>
        <translation>方框边长 l(&amp;L)</translation>
    </message>
    <message>
        <source>Classes &amp;K</source>
        <translation>类别数 K(&amp;K)</translation>
    </message>
    <message>
        <source>U: how many points of the trajectory are kept (θ = 0 … U−1).</source>
        <translation>U：保留的轨迹点数（θ = 0 … U−1）。</translation>
    </message>
    <message>
        <source>l: side of the box around the centre of the layer&apos;s pairs.</source>
        <translation>l：围绕该层权重对中心的方框边长。</translation>
    </message>
    <message>
        <source>K: rings for the pairs outside the box; each ring pulls its pairs into the inscribed circle by its own factor.</source>
        <translation>K：用于方框外权重对的环数；每个环按各自的因子将其中的权重对拉入内切圆。</translation>
    </message>
    <message>
        <source>Pair of weights</source>
        <translation>权重对</translation>
    </message>
    <message>
        <source>&amp;Pair</source>
        <translation>权重对(&amp;P)</translation>
    </message>
    <message>
        <source>Follow one pair of the current layer (weights 2i and 2i + 1).</source>
        <translation>跟踪当前层的一对权重（权重 2i 和 2i + 1）。</translation>
    </message>
    <message>
        <source>&amp;Random</source>
        <translation>随机(&amp;R)</translation>
    </message>
    <message>
        <source>Pick a pair at random.</source>
        <translation>随机选取一对权重。</translation>
    </message>
    <message>
        <source>Or click anywhere in the plot to encode that point.</source>
        <translation>也可以点击图中任意位置来编码该点。</translation>
    </message>
    <message>
        <source>How it is encoded</source>
        <translation>编码过程</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Stop the animation here</source>
        <translation>在此处停止动画</translation>
    </message>
    <message>
        <source>Let θ grow and watch the line fill the box</source>
        <translation>让 θ 增长，观察直线如何填满方框</translation>
    </message>
    <message>
        <source>Farthest any point of the box lies from a sample: %1 (%2 % of l)</source>
        <translation>方框内任一点到采样点的最大距离：%1（l 的 %2%）</translation>
    </message>
    <message>
        <source>paper&apos;s direction 1 : %1</source>
        <translation>论文方向 1 : %1</translation>
    </message>
    <message>
        <source>rational direction 1 : 2</source>
        <translation>有理方向 1 : 2</translation>
    </message>
    <message>
        <source>irrational direction 1 : √2</source>
        <translation>无理方向 1 : √2</translation>
    </message>
    <message>
        <source>direction %1 : %2</source>
        <translation>方向 %1 : %2</translation>
    </message>
    <message>
        <source>θ·a mod l, %1, θ = %2, U = %3, l = %4</source>
        <translation>θ·a mod l，%1，θ = %2，U = %3，l = %4</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#5a606a&apos;&gt;Choose a pair or click in the plot: the readout shows its class, the sample it is snapped to, the number stored and the pair that comes back.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#5a606a&apos;&gt;选择一对权重或在图中点击：读数将显示其类别、所吸附到的采样点、存储的数值以及还原得到的权重对。&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Pair %1</source>
        <translation>权重对 %1</translation>
    </message>
    <message>
        <source>Clicked point</source>
        <translation>点击的点</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>|p − c| = %1</source>
        <translation>|p − c| = %1</translation>
    </message>
    <message>
        <source>0, inside the box</source>
        <translation>0，位于方框内</translation>
    </message>
    <message>
        <source>0, outside the box but K = 0</source>
        <translation>0，位于方框外但 K = 0</translation>
    </message>
    <message>
        <source>%1 of %2, ring r = %3</source>
        <translation>第 %1 类（共 %2 类），环 r = %3</translation>
    </message>
    <message>
        <source>Class k</source>
        <translation>类别 k</translation>
    </message>
    <message>
        <source>Scale s_k</source>
        <translation>缩放因子 s_k</translation>
    </message>
    <message>
        <source>Pulled in</source>
        <translation>拉入后</translation>
    </message>
    <message>
        <source>S₀, the centre</source>
        <translation>S₀，即中心</translation>
    </message>
    <message>
        <source>S&lt;sub&gt;%1&lt;/sub&gt;, reached at θ = %2</source>
        <translation>S&lt;sub&gt;%1&lt;/sub&gt;，在 θ = %2 处到达</translation>
    </message>
    <message>
        <source>Nearest sample</source>
        <translation>最近采样点</translation>
    </message>
    <message>
        <source>Stored index</source>
        <translation>存储的索引</translation>
    </message>
    <message>
        <source>%1 + %2 × %3 = &lt;b&gt;%4&lt;/b&gt;</source>
        <translation>%1 + %2 × %3 = &lt;b&gt;%4&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Decoded</source>
        <translation>解码结果</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <source>|p − p′| = %1</source>
        <translation>|p − p′| = %1</translation>
    </message>
</context>
<context>
    <name>hc::HelpDialog</name>
    <message>
        <source>%1 = D</source>
        <translation>%1 = D</translation>
    </message>
    <message>
        <source>p (class 2)</source>
        <translation>p（类别 2）</translation>
    </message>
    <message>
        <source>c</source>
        <translation>c</translation>
    </message>
    <message>
        <source>l</source>
        <translation>l</translation>
    </message>
    <message>
        <source>Example: U = %1, K = %2</source>
        <translation>示例：U = %1，K = %2</translation>
    </message>
    <message>
        <source>Centre box of side l around the centroid c</source>
        <translation>以质心 c 为中心、边长为 l 的中心方框</translation>
    </message>
    <message>
        <source>Trajectory θ·a mod l winding through the box</source>
        <translation>在方框中缠绕穿行的轨迹 θ·a mod l</translation>
    </message>
    <message>
        <source>Its U samples S(θ), the codebook</source>
        <translation>轨迹的 U 个采样点 S(θ)，即码本</translation>
    </message>
    <message>
        <source>Class rings %1 … %2 (K = %3) sort the outliers by distance</source>
        <translation>类别环 %1 … %2（K = %3）按距离对离群点分类</translation>
    </message>
    <message>
        <source>Inscribed circle of radius l/2</source>
        <translation>半径为 l/2 的内切圆</translation>
    </message>
    <message>
        <source>An outlier p is scaled towards c into the circle, then stored as its nearest sample</source>
        <translation>离群点 p 朝 c 缩放进入圆内，然后存储为其最近的采样点</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Export the configuration and the archive</source>
        <translation>导出配置和归档</translation>
    </message>
    <message>
        <source>Compress the whole model</source>
        <translation>压缩整个模型</translation>
    </message>
    <message>
        <source>Zoom the cloud to the centre box</source>
        <translation>将点云缩放到中心方框</translation>
    </message>
    <message>
        <source>Zoom the cloud to all pairs</source>
        <translation>将点云缩放到全部权重对</translation>
    </message>
    <message>
        <source>Show this help</source>
        <translation>显示本帮助</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>HyperComp Workbench Help</source>
        <translation>HyperComp Workbench 帮助</translation>
    </message>
    <message>
        <source>HyperComp Workbench</source>
        <translation>HyperComp Workbench</translation>
    </message>
    <message>
        <source>Hyper-compression stores a neural network&apos;s weights two at a time. Each pair of weights is a point in the plane; instead of the two numbers, the archive keeps the index of the nearest point on a trajectory that winds through a small box. Three settings decide how well this works for a layer.</source>
        <translation>超压缩每次存储神经网络的两个权重。每对权重是平面上的一个点；归档不保存这两个数，而是保存一条在小方框内缠绕穿行的轨迹上离该点最近的点的索引。以下三项设置决定了该方法在某一层上的效果。</translation>
    </message>
    <message>
        <source>What U, l and K mean</source>
        <translation>U、l 和 K 的含义</translation>
    </message>
    <message>
        <source>l, the box side</source>
        <translation>l：方框边长</translation>
    </message>
    <message>
        <source>A square of side l is centred on the centroid c of the layer&apos;s pairs. Pairs inside it are stored directly; pairs outside are outliers. A small box gives fine steps but many outliers.</source>
        <translation>以该层权重对的质心 c 为中心放置一个边长为 l 的正方形。其中的权重对直接存储；其外的权重对为离群点。方框越小，步长越精细，但离群点也越多。</translation>
    </message>
    <message>
        <source>U, the samples</source>
        <translation>U：采样点</translation>
    </message>
    <message>
        <source>The line θ·a mod l winds through the box without ever closing. U points on it, a sheared lattice, form the codebook; each pair is stored as the number of its nearest sample. More samples mean a smaller error and longer indices: the error inside the box is about l / (2√U).</source>
        <translation>直线 θ·a mod l 在方框中缠绕穿行，永不闭合。其上的 U 个点构成一个错切格点，即码本；每对权重被存储为其最近采样点的编号。采样点越多，误差越小，索引越长：方框内的误差约为 l / (2√U)。</translation>
    </message>
    <message>
        <source>K, the classes</source>
        <translation>K：类别</translation>
    </message>
    <message>
        <source>Outliers are sorted by their distance from c into K rings. An outlier in ring k is scaled towards c until it lies in the circle of radius l/2, encoded there, and scaled back when restored, so its error grows with its ring. Auto K tries 1 … K and keeps the best.</source>
        <translation>离群点按其到 c 的距离分入 K 个环。第 k 个环中的离群点朝 c 缩放，直到落入半径为 l/2 的圆内，在圆内编码，还原时再缩放回去，因此其误差随所在环向外而增大。自动 K 会尝试 1 … K 并保留最佳值。</translation>
    </message>
    <message>
        <source>Reading the readouts</source>
        <translation>读数说明</translation>
    </message>
    <message>
        <source>Every figure is computed on all of the layer&apos;s weights, even when the plot shows a sample of them.</source>
        <translation>即使图中只显示部分抽样，所有数值也都基于该层的全部权重计算。</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Mean absolute error between the original and the restored weights, the paper&apos;s measure.</source>
        <translation>原始权重与还原权重之间的平均绝对误差，即论文采用的度量。</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>最大误差</translation>
    </message>
    <message>
        <source>The largest error of any single weight; outliers in the outer rings set it.</source>
        <translation>任一单个权重的最大误差；由外层环中的离群点决定。</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>‖w − ŵ‖ / ‖w‖: the size of the error against the size of the layer, independent of its scale.</source>
        <translation>‖w − ŵ‖ / ‖w‖：误差大小与该层大小之比，与其尺度无关。</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>Signal to quantization noise ratio in dB, 20·log10(‖w‖ / ‖w − ŵ‖). Higher is better; each extra bit per weight is worth about 6 dB to a uniform quantizer.</source>
        <translation>信号与量化噪声之比，单位为 dB，即 20·log10(‖w‖ / ‖w − ŵ‖)。越高越好；对于均匀量化器，每权重每多 1 比特约提高 6 dB。</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>每权重比特数</translation>
    </message>
    <message>
        <source>Index bits per pair divided by two, plus the layer&apos;s share of the metadata.</source>
        <translation>每对权重的索引比特数除以二，再加上该层分摊的元数据。</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Original bytes divided by compressed bytes, metadata included.</source>
        <translation>原始字节数除以压缩后字节数（含元数据）。</translation>
    </message>
    <message>
        <source>RTN baseline</source>
        <translation>RTN 基线</translation>
    </message>
    <message>
        <source>The same figures for plain round-to-nearest quantization at the same bits per weight, side by side, so you can see whether hyper-compression wins for this layer.</source>
        <translation>在相同每权重比特数下，普通就近舍入量化的同样各项数值并排显示，便于判断超压缩在该层上是否更优。</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Auto-tune U, l and K per layer</source>
        <translation>逐层自动调优 U、l 和 K</translation>
    </message>
    <message>
        <source>Save the settings as a config</source>
        <translation>将设置保存为配置</translation>
    </message>
    <message>
        <source>Load a config</source>
        <translation>加载配置</translation>
    </message>
    <message>
        <source>Undo the last change of the settings</source>
        <translation>撤销上一次设置更改</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
</context>
<context>
    <name>hc::LanguageManager</name>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>hc::LayerBarsChart</name>
    <message>
        <source>%1 (first %2 of %3 layers)</source>
        <translation>%1（%3 个层中的前 %2 个）</translation>
    </message>
</context>
<context>
    <name>hc::LayerEvaluator</name>
    <message>
        <source>%1 cannot be evaluated: %2.</source>
        <translation>无法评估 %1：%2。</translation>
    </message>
</context>
<context>
    <name>hc::LayerStatisticsJob</name>
    <message>
        <source>there is no layer %1</source>
        <translation>不存在层 %1</translation>
    </message>
    <message>
        <source>%1 is not a float tensor.</source>
        <translation>%1 不是浮点张量。</translation>
    </message>
    <message>
        <source>%1 contains NaN or infinite values.</source>
        <translation>%1 包含 NaN 或无穷大值。</translation>
    </message>
</context>
<context>
    <name>hc::LayerTableModel</name>
    <message>
        <source>K≤%1</source>
        <translation>K≤%1</translation>
    </message>
    <message>
        <source>K %1</source>
        <translation>K %1</translation>
    </message>
    <message>
        <source>U %1 · l %2 · %3</source>
        <translation>U %1 · l %2 · %3</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
    <message>
        <source>%1 is stored raw: the codec takes float tensors of at least 10 elements.</source>
        <translation>%1 按原样存储：编解码器只处理至少含 10 个元素的浮点张量。</translation>
    </message>
    <message>
        <source>This layer has its own settings (an override of the model defaults).</source>
        <translation>此层有自己的设置（覆盖了模型默认值）。</translation>
    </message>
    <message>
        <source>This layer uses the model defaults.</source>
        <translation>此层使用模型默认值。</translation>
    </message>
    <message>
        <source>Share of weight pairs outside the centre box of side l = %1.</source>
        <translation>位于边长 l = %1 的中心方框之外的权重对占比。</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原样</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>Kurtosis</source>
        <translation>峰度</translation>
    </message>
    <message>
        <source>Outer</source>
        <translation>框外</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>The tensor&apos;s name in the model file</source>
        <translation>张量在模型文件中的名称</translation>
    </message>
    <message>
        <source>The tensor&apos;s shape</source>
        <translation>张量的形状</translation>
    </message>
    <message>
        <source>Element type</source>
        <translation>元素类型</translation>
    </message>
    <message>
        <source>Number of elements</source>
        <translation>元素个数</translation>
    </message>
    <message>
        <source>Standard deviation of the weights</source>
        <translation>权重的标准差</translation>
    </message>
    <message>
        <source>Excess kurtosis (0 for a Gaussian; large for heavy tails)</source>
        <translation>超额峰度（高斯分布为 0；重尾分布时较大）</translation>
    </message>
    <message>
        <source>Share of weight pairs outside the centre box at the layer&apos;s l</source>
        <translation>在该层的 l 下，位于中心方框之外的权重对占比</translation>
    </message>
    <message>
        <source>U, l and K for this layer; * marks a per-layer override</source>
        <translation>此层的 U、l 和 K；* 表示逐层覆盖设置</translation>
    </message>
    <message>
        <source>Compression ratio (original bytes / compressed bytes), once computed</source>
        <translation>压缩比（原始字节数 / 压缩后字节数），计算后显示</translation>
    </message>
    <message>
        <source>Relative Frobenius error ||w − ŵ|| / ||w||, once computed</source>
        <translation>Frobenius 相对误差 ||w − ŵ|| / ||w||，计算后显示</translation>
    </message>
</context>
<context>
    <name>hc::MainWindow</name>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>HyperComp Workbench</source>
        <translation>HyperComp Workbench</translation>
    </message>
    <message>
        <source>%1[*] — HyperComp Workbench</source>
        <translation>%1[*] — HyperComp Workbench</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Load Config…</source>
        <translation>加载配置(&amp;L)…</translation>
    </message>
    <message>
        <source>Apply a saved compression config (defaults, per-layer settings, skip patterns) to this model</source>
        <translation>将已保存的压缩配置（默认值、逐层设置、跳过模式）应用到此模型</translation>
    </message>
    <message>
        <source>&amp;Save Config As…</source>
        <translation>配置另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the chosen per-layer settings as a config that hypercomp compress --config reads</source>
        <translation>将所选的逐层设置保存为可供 hypercomp compress --config 读取的配置</translation>
    </message>
    <message>
        <source>Undo the last change of the settings</source>
        <translation>撤销上一次设置更改</translation>
    </message>
    <message>
        <source>Redo the last undone change of the settings</source>
        <translation>重做上一次撤销的设置更改</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a model: safetensors, a PyTorch state dict (.pt, .pth, .bin) or TorchScript</source>
        <translation>打开模型：safetensors、PyTorch 状态字典（.pt、.pth、.bin）或 TorchScript</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Draw the Cloud with &amp;OpenGL</source>
        <translation>使用 OpenGL 绘制点云(&amp;O)</translation>
    </message>
    <message>
        <source>Faster drawing of big clouds; screenshots never use it</source>
        <translation>更快地绘制大型点云；截图从不使用此功能</translation>
    </message>
    <message>
        <source>OpenGL is not available on this display</source>
        <translation>此显示环境不支持 OpenGL</translation>
    </message>
    <message>
        <source>&amp;Contents</source>
        <translation>帮助内容(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;About HyperComp Workbench</source>
        <translation>关于 HyperComp Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Filter layers by name</source>
        <translation>按名称筛选层</translation>
    </message>
    <message>
        <source>Show only the layers whose name contains this text</source>
        <translation>仅显示名称包含此文本的层</translation>
    </message>
    <message>
        <source>Every tensor of the model; click a header to sort, pick a row to inspect the layer</source>
        <translation>模型的所有张量；点击表头可排序，选择一行可查看该层</translation>
    </message>
    <message>
        <source>Weight Cloud</source>
        <translation>权重点云</translation>
    </message>
    <message>
        <source>The layer&apos;s weight pairs, the centre box, the class rings and the trajectory samples</source>
        <translation>该层的权重对、中心方框、类别环和轨迹采样点</translation>
    </message>
    <message>
        <source>Ergodic View</source>
        <translation>遍历视图</translation>
    </message>
    <message>
        <source>How a one-dimensional trajectory fills the box, and how a pair finds its sample</source>
        <translation>一维轨迹如何填满方框，以及权重对如何找到其采样点</translation>
    </message>
    <message>
        <source>Open the &amp;Demo Model</source>
        <translation>打开演示模型(&amp;D)</translation>
    </message>
    <message>
        <source>A small classifier made by this project, with its test set</source>
        <translation>本项目制作的小型分类器，附带其测试集</translation>
    </message>
    <message>
        <source>Open a model: File &gt; Open or drop a file</source>
        <translation>打开模型：选择“文件 &gt; 打开”，或将文件拖放到此处</translation>
    </message>
    <message>
        <source>Open a Model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Models (*.safetensors *.safetensors.index.json *.pt *.pth *.bin);;safetensors (*.safetensors *.safetensors.index.json);;PyTorch and TorchScript (*.pt *.pth *.bin);;All files (*)</source>
        <translation>模型 (*.safetensors *.safetensors.index.json *.pt *.pth *.bin);;safetensors (*.safetensors *.safetensors.index.json);;PyTorch 和 TorchScript (*.pt *.pth *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>无最近文件</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清除菜单(&amp;C)</translation>
    </message>
    <message>
        <source>Cannot Open Model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>The demo model is missing from this build.</source>
        <translation>此版本中缺少演示模型。</translation>
    </message>
    <message>
        <source>%1 cannot be written: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>%1 has no layer named “%2”.</source>
        <translation>%1 中没有名为“%2”的层。</translation>
    </message>
    <message>
        <source>No Such Layer</source>
        <translation>没有该层</translation>
    </message>
    <message>
        <source>Restore the Autosaved Settings</source>
        <translation>还原自动保存的设置</translation>
    </message>
    <message>
        <source>%1 is stored raw: the codec takes float tensors of at least 10 elements.</source>
        <translation>%1 按原样存储：编解码器只处理至少含 10 个元素的浮点张量。</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>更改 %1</translation>
    </message>
    <message>
        <source>Change the Settings of All Layers</source>
        <translation>更改所有层的设置</translation>
    </message>
    <message>
        <source>Use the Defaults for %1</source>
        <translation>%1 使用默认值</translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation>1 个张量</translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation>%1 个张量</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4 parameters</source>
        <translation>%1 · %2 · %3 · %4 个参数</translation>
    </message>
    <message>
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Computing layer statistics…</source>
        <translation>正在计算层统计信息…</translation>
    </message>
    <message>
        <source>Evaluating the layer…</source>
        <translation>正在评估该层…</translation>
    </message>
    <message>
        <source>Cannot Save Config</source>
        <translation>无法保存配置</translation>
    </message>
    <message>
        <source>Saved the config to %1.</source>
        <translation>已将配置保存到 %1。</translation>
    </message>
    <message>
        <source>Save Config</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>HyperComp configs (*.json)</source>
        <translation>HyperComp 配置 (*.json)</translation>
    </message>
    <message>
        <source>Load Config</source>
        <translation>加载配置</translation>
    </message>
    <message>
        <source>HyperComp configs (*.json);;All files (*)</source>
        <translation>HyperComp 配置 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot Load Config</source>
        <translation>无法加载配置</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>加载 %1</translation>
    </message>
    <message>
        <source>Unsaved Settings</source>
        <translation>未保存的设置</translation>
    </message>
    <message>
        <source>The per-layer settings of %1 have changed since they were last saved.</source>
        <translation>%1 的逐层设置自上次保存后已更改。</translation>
    </message>
    <message>
        <source>Save them as a config before they are discarded?</source>
        <translation>是否在丢弃之前将其保存为配置？</translation>
    </message>
    <message>
        <source>Restore Unsaved Settings</source>
        <translation>还原未保存的设置</translation>
    </message>
    <message>
        <source>The last session ended with unsaved settings for %1. Restore them?</source>
        <translation>上次会话结束时，%1 有未保存的设置。是否还原？</translation>
    </message>
    <message>
        <source>Apply a Sweep Point to %1</source>
        <translation>将参数扫描点应用到 %1</translation>
    </message>
    <message>
        <source>Apply a Sweep Point to All Layers</source>
        <translation>将参数扫描点应用到所有层</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>参数扫描</translation>
    </message>
    <message>
        <source>Error against ratio over a grid of U, l and K, the Pareto front and the baseline quantizers</source>
        <translation>在 U、l、K 参数网格上绘制误差与压缩比的关系，以及帕累托前沿和基线量化器</translation>
    </message>
    <message>
        <source>Density Mode</source>
        <translation>密度模式</translation>
    </message>
    <message>
        <source>The density-matched compander G of this layer and its pairs in u-space</source>
        <translation>此层按密度匹配的压扩函数 G，以及其权重对在 u 空间中的分布</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Auto-Tune…</source>
        <translation>自动调优(&amp;A)…</translation>
    </message>
    <message>
        <source>Choose U, l and K per layer for a maximum error or a target ratio</source>
        <translation>按最大误差或目标压缩比，为每一层选择 U、l 和 K</translation>
    </message>
    <message>
        <source>Whole Model</source>
        <translation>整个模型</translation>
    </message>
    <message>
        <source>Compress every layer with its settings, see the sizes and errors, export or restore an archive</source>
        <translation>按各层设置压缩每一层，查看大小和误差，导出或还原归档</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Run the original and the restored TorchScript model side by side and compare their outputs</source>
        <translation>并排运行原始 TorchScript 模型和还原后的模型，并比较其输出</translation>
    </message>
    <message>
        <source>Auto-Tune</source>
        <translation>自动调优</translation>
    </message>
    <message>
        <source>Auto-Tune (Target Not Met)</source>
        <translation>自动调优（未达到目标）</translation>
    </message>
    <message>
        <source>&amp;Compress Model</source>
        <translation>压缩模型(&amp;C)</translation>
    </message>
    <message>
        <source>Compress every layer with its settings (the Whole Model tab)</source>
        <translation>按各层设置压缩每一层（“整个模型”选项卡）</translation>
    </message>
    <message>
        <source>&amp;Export Config and Archive…</source>
        <translation>导出配置和归档(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the chosen config and the compressed archive, as hypercomp compress --config would</source>
        <translation>写入所选配置和压缩归档，与 hypercomp compress --config 的结果相同</translation>
    </message>
    <message>
        <source>&amp;Restore an Archive…</source>
        <translation>还原归档(&amp;R)…</translation>
    </message>
    <message>
        <source>Turn a HyperComp archive back into a model file</source>
        <translation>将 HyperComp 归档还原为模型文件</translation>
    </message>
</context>
<context>
    <name>hc::PreferencesDialog</name>
    <message>
        <source>Largest class count K:</source>
        <translation>最大类别数 K：</translation>
    </message>
    <message>
        <source>Class count K:</source>
        <translation>类别数 K：</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Defaults for new models</source>
        <translation>新模型的默认值</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>性能</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>The language changes as soon as you press OK.</source>
        <translation>按“确定”后语言立即更改。</translation>
    </message>
    <message>
        <source>&amp;Recent files to remember:</source>
        <translation>记住的最近文件数(&amp;R)：</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Trajectory samples &amp;U:</source>
        <translation>轨迹采样点数 U(&amp;U)：</translation>
    </message>
    <message>
        <source>How many points of the winding trajectory are kept as the codebook. More samples give a smaller error and longer indices.</source>
        <translation>缠绕轨迹上保留作码本的点数。采样点越多，误差越小，索引越长。</translation>
    </message>
    <message>
        <source>&amp;Box side l:</source>
        <translation>方框边长 l(&amp;B)：</translation>
    </message>
    <message>
        <source>Side of the centre box around the centroid of the weight pairs. Pairs outside it are outliers and are pulled in by the class rings.</source>
        <translation>围绕权重对质心的中心方框的边长。方框外的权重对为离群点，由类别环拉入。</translation>
    </message>
    <message>
        <source>How many rings sort the outliers by their distance from the centre.</source>
        <translation>按到中心的距离对离群点进行分类的环数。</translation>
    </message>
    <message>
        <source>Choose &amp;K automatically (lowest error up to this count)</source>
        <translation>自动选择 K（在此数值以内取误差最小者）(&amp;K)</translation>
    </message>
    <message>
        <source>Worker &amp;threads:</source>
        <translation>工作线程数(&amp;T)：</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>全部核心（%1）</translation>
    </message>
    <message>
        <source>Use &amp;OpenGL to draw big weight clouds</source>
        <translation>使用 OpenGL 绘制大型权重点云(&amp;O)</translation>
    </message>
    <message>
        <source>Faster for layers with millions of weights. Turned off automatically when no OpenGL context can be made; screenshots always use the software path.</source>
        <translation>对于拥有数百万个权重的层速度更快。无法创建 OpenGL 上下文时会自动关闭；截图始终使用软件渲染。</translation>
    </message>
</context>
<context>
    <name>hc::ReadoutPanel</name>
    <message>
        <source>Readouts</source>
        <translation>读数</translation>
    </message>
    <message>
        <source>Pairs per class</source>
        <translation>各类别的权重对数</translation>
    </message>
    <message>
        <source>How many weight pairs fall in the box (class 0) and in each outlier ring</source>
        <translation>落在方框内（类别 0）以及各离群点环中的权重对数量</translation>
    </message>
    <message>
        <source>Hyper</source>
        <translation>超压缩</translation>
    </message>
    <message>
        <source>The hyper-compression codec at the settings above, over every weight of the layer</source>
        <translation>按上述设置的超压缩编解码器，基于该层的全部权重</translation>
    </message>
    <message>
        <source>RTN</source>
        <translation>RTN</translation>
    </message>
    <message>
        <source>A round-to-nearest uniform quantizer (one float16 scale and zero point per tensor) given the same bits per weight</source>
        <translation>就近舍入均匀量化器（每个张量一个 float16 缩放因子和零点），使用相同的每权重比特数</translation>
    </message>
    <message>
        <source>Mean abs error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>Max abs error</source>
        <translation>最大绝对误差</translation>
    </message>
    <message>
        <source>RMS error</source>
        <translation>均方根误差</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>Index bits</source>
        <translation>索引比特数</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>每权重比特数</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Mean of |w − ŵ| over every weight (the paper&apos;s measure)</source>
        <translation>所有权重上 |w − ŵ| 的平均值（论文采用的度量）</translation>
    </message>
    <message>
        <source>Largest |w − ŵ| over every weight</source>
        <translation>所有权重上 |w − ŵ| 的最大值</translation>
    </message>
    <message>
        <source>Root mean square of w − ŵ</source>
        <translation>w − ŵ 的均方根</translation>
    </message>
    <message>
        <source>Relative Frobenius error ||w − ŵ|| / ||w||</source>
        <translation>Frobenius 相对误差 ||w − ŵ|| / ||w||</translation>
    </message>
    <message>
        <source>Signal to quantization noise ratio, 20·log10(||w|| / ||w − ŵ||)</source>
        <translation>信号与量化噪声之比，20·log10(||w|| / ||w − ŵ||)</translation>
    </message>
    <message>
        <source>Bits of each stored index: one index per pair for the codec, one code per weight for RTN</source>
        <translation>每个存储索引的比特数：编解码器为每对权重一个索引，RTN 为每个权重一个编码</translation>
    </message>
    <message>
        <source>Stored bits per weight, metadata included</source>
        <translation>每个权重的存储比特数（含元数据）</translation>
    </message>
    <message>
        <source>Original bytes / compressed bytes</source>
        <translation>原始字节数 / 压缩后字节数</translation>
    </message>
    <message>
        <source>%1: a round-to-nearest uniform quantizer at the codec&apos;s bits per weight</source>
        <translation>%1：采用编解码器每权重比特数的就近舍入均匀量化器</translation>
    </message>
    <message>
        <source>No round-to-nearest baseline: %1</source>
        <translation>无就近舍入基线：%1</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>K used: %1 · computed in %2 ms over all %3 weights</source>
        <translation>使用的 K：%1 · 基于全部 %3 个权重，耗时 %2 ms</translation>
    </message>
    <message>
        <source>Select a layer to see its figures.</source>
        <translation>选择一个层以查看其各项数值。</translation>
    </message>
</context>
<context>
    <name>hc::RestoreDialog</name>
    <message>
        <source>Restore Model from Archive</source>
        <translation>从归档还原模型</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>No archive chosen</source>
        <translation>未选择归档</translation>
    </message>
    <message>
        <source>The HyperComp archive (.hca) to restore</source>
        <translation>要还原的 HyperComp 归档（.hca）</translation>
    </message>
    <message>
        <source>Open &amp;Archive…</source>
        <translation>打开归档(&amp;A)…</translation>
    </message>
    <message>
        <source>Choose a HyperComp archive</source>
        <translation>选择 HyperComp 归档</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>DType</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>U</source>
        <translation>U</translation>
    </message>
    <message>
        <source>l</source>
        <translation>l</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Tensor name</source>
        <translation>张量名称</translation>
    </message>
    <message>
        <source>Original shape</source>
        <translation>原始形状</translation>
    </message>
    <message>
        <source>Original dtype</source>
        <translation>原始数据类型</translation>
    </message>
    <message>
        <source>Compressed, or stored raw (and why)</source>
        <translation>已压缩，或按原样存储（及原因）</translation>
    </message>
    <message>
        <source>Trajectory samples U</source>
        <translation>轨迹采样点数 U</translation>
    </message>
    <message>
        <source>Box size l</source>
        <translation>方框边长 l</translation>
    </message>
    <message>
        <source>Outlier classes K used</source>
        <translation>使用的离群点类别数 K</translation>
    </message>
    <message>
        <source>Index bits per pair</source>
        <translation>每对权重的索引比特数</translation>
    </message>
    <message>
        <source>Bytes the tensor takes in the archive</source>
        <translation>该张量在归档中占用的字节数</translation>
    </message>
    <message>
        <source>Restored model</source>
        <translation>还原后的模型</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>safetensors (.safetensors)</source>
        <translation>safetensors (.safetensors)</translation>
    </message>
    <message>
        <source>PyTorch state dict (.pt)</source>
        <translation>PyTorch 状态字典 (.pt)</translation>
    </message>
    <message>
        <source>TorchScript like an original module (.pt)</source>
        <translation>与原始模块相同的 TorchScript (.pt)</translation>
    </message>
    <message>
        <source>safetensors and state dicts hold the tensors; a TorchScript output is the original module with its parameters replaced, so it still runs</source>
        <translation>safetensors 和状态字典仅保存张量；TorchScript 输出则是替换了参数的原始模块，因此仍可运行</translation>
    </message>
    <message>
        <source>&amp;Output file:</source>
        <translation>输出文件(&amp;O)：</translation>
    </message>
    <message>
        <source>Where the restored model is written (complete or not at all)</source>
        <translation>还原后模型的写入位置（要么完整写入，要么完全不写入）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Original &amp;module:</source>
        <translation>原始模块(&amp;M)：</translation>
    </message>
    <message>
        <source>The TorchScript module the archive was made from</source>
        <translation>生成该归档所用的 TorchScript 模块</translation>
    </message>
    <message>
        <source>The restored module is this module with the archive&apos;s tensors in place of its parameters</source>
        <translation>还原后的模块即此模块，只是其参数被替换为归档中的张量</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>还原(&amp;R)</translation>
    </message>
    <message>
        <source>Write the restored model</source>
        <translation>写入还原后的模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop writing; no file is left behind</source>
        <translation>停止写入；不会留下任何文件</translation>
    </message>
    <message>
        <source>Progress of the write</source>
        <translation>写入进度</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>%1: cannot be opened.</source>
        <translation>%1：无法打开。</translation>
    </message>
    <message>
        <source>Cannot Open Archive</source>
        <translation>无法打开归档</translation>
    </message>
    <message>
        <source>Checksums verified. Choose a format and restore.</source>
        <translation>校验和已验证。请选择格式并还原。</translation>
    </message>
    <message>
        <source>compressed</source>
        <translation>已压缩</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原样</translation>
    </message>
    <message>
        <source>Stored raw: %1</source>
        <translation>按原样存储：%1</translation>
    </message>
    <message>
        <source>Format &lt;b&gt;%1&lt;/b&gt;, version &lt;b&gt;%2&lt;/b&gt; · %3 tensors (%4 compressed, %5 raw) · %6 parameters · %7 bytes on disk, %8 restored (ratio %9×)</source>
        <translation>格式 &lt;b&gt;%1&lt;/b&gt;，版本 &lt;b&gt;%2&lt;/b&gt; · %3 个张量（%4 个已压缩，%5 个原样存储） · %6 个参数 · 磁盘占用 %7 字节，还原后 %8 字节（压缩比 %9×）</translation>
    </message>
    <message>
        <source>Choose an archive to restore first.</source>
        <translation>请先选择要还原的归档。</translation>
    </message>
    <message>
        <source>Choose the file to write the restored model to.</source>
        <translation>请选择用于写入还原后模型的文件。</translation>
    </message>
    <message>
        <source>A TorchScript output needs the original module: choose it under “Original module”.</source>
        <translation>输出 TorchScript 需要原始模块：请在“原始模块”中选择。</translation>
    </message>
    <message>
        <source>%1: the restored model would overwrite its own input.</source>
        <translation>%1：还原后的模型会覆盖其自身的输入文件。</translation>
    </message>
    <message>
        <source>%1: the folder does not exist.</source>
        <translation>%1：文件夹不存在。</translation>
    </message>
    <message>
        <source>%1: the file name does not fit the chosen format (use .safetensors for safetensors, .pt for a state dict or TorchScript module).</source>
        <translation>%1：文件名与所选格式不符（safetensors 请使用 .safetensors，状态字典或 TorchScript 模块请使用 .pt）。</translation>
    </message>
    <message>
        <source>Cannot Restore</source>
        <translation>无法还原</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Restored to %1.</source>
        <translation>已还原到 %1。</translation>
    </message>
    <message>
        <source>Restoring was cancelled; no file was written.</source>
        <translation>还原已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>Open Archive</source>
        <translation>打开归档</translation>
    </message>
    <message>
        <source>HyperComp archives (*.hca *.safetensors);;All files (*)</source>
        <translation>HyperComp 归档 (*.hca *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>PyTorch (*.pt *.pth)</source>
        <translation>PyTorch (*.pt *.pth)</translation>
    </message>
    <message>
        <source>Restored Model</source>
        <translation>还原后的模型</translation>
    </message>
    <message>
        <source>Original TorchScript Module</source>
        <translation>原始 TorchScript 模块</translation>
    </message>
    <message>
        <source>TorchScript modules (*.pt *.pth);;All files (*)</source>
        <translation>TorchScript 模块 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>hc::SweepChart</name>
    <message>
        <source>RTN per tensor</source>
        <translation>RTN 逐张量</translation>
    </message>
    <message>
        <source>RTN group 128</source>
        <translation>RTN 分组 128</translation>
    </message>
    <message>
        <source>NF4 block 64</source>
        <translation>NF4 分块 64</translation>
    </message>
    <message>
        <source>Density mode</source>
        <translation>密度模式</translation>
    </message>
    <message>
        <source>Lattice mode</source>
        <translation>格点模式</translation>
    </message>
    <message>
        <source>Paper + entropy</source>
        <translation>论文 + 熵编码</translation>
    </message>
    <message>
        <source>Compression ratio (original bytes / stored bytes, ×)</source>
        <translation>压缩比（原始字节数 / 存储字节数，×）</translation>
    </message>
    <message>
        <source>Mean absolute error (weight units)</source>
        <translation>平均绝对误差（权重单位）</translation>
    </message>
    <message>
        <source>Relative error ‖w − ŵ‖ / ‖w‖</source>
        <translation>相对误差 ‖w − ŵ‖ / ‖w‖</translation>
    </message>
    <message>
        <source>, log scale</source>
        <translation>，对数刻度</translation>
    </message>
    <message>
        <source>Hyper-compression configs</source>
        <translation>超压缩配置</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>Sweep: error against compression ratio</source>
        <translation>参数扫描：误差与压缩比</translation>
    </message>
    <message>
        <source>Run a sweep to see its configs here.</source>
        <translation>运行参数扫描后，其配置将显示在此处。</translation>
    </message>
    <message>
        <source>Sweep of %1</source>
        <translation>%1 的参数扫描</translation>
    </message>
    <message>
        <source>%1 configs · %2 on the Pareto front · lower right is better</source>
        <translation>%1 个配置 · %2 个位于帕累托前沿 · 越靠右下越好</translation>
    </message>
    <message>
        <source>%1 σ</source>
        <translation>%1 σ</translation>
    </message>
    <message>
        <source>auto up to %1 (used %2)</source>
        <translation>自动，最多 %1（使用 %2）</translation>
    </message>
    <message>
        <source>U %1 · l %2 · K %3</source>
        <translation>U %1 · l %2 · K %3</translation>
    </message>
    <message>
        <source> (l = %1)</source>
        <translation>（l = %1）</translation>
    </message>
    <message>
        <source>ratio %1× · %2 b/w · index %3 bits</source>
        <translation>压缩比 %1× · %2 b/w · 索引 %3 比特</translation>
    </message>
    <message>
        <source>rel. error %1 · MAE %2 · SQNR %3 dB</source>
        <translation>相对误差 %1 · MAE %2 · SQNR %3 dB</translation>
    </message>
    <message>
        <source>On the Pareto front</source>
        <translation>位于帕累托前沿</translation>
    </message>
    <message>
        <source>Click to apply this config</source>
        <translation>点击以应用此配置</translation>
    </message>
    <message>
        <source> at a budget of %1 b/w</source>
        <translation>，预算 %1 b/w</translation>
    </message>
    <message>
        <source> at %1 index bits per weight</source>
        <translation>，每权重 %1 索引比特</translation>
    </message>
    <message>
        <source> aimed at %1 b/w</source>
        <translation>，目标 %1 b/w</translation>
    </message>
    <message>
        <source>: U %1 · l %2 · K %3%4 with rANS-coded indices (same error)</source>
        <translation>：U %1 · l %2 · K %3%4，索引采用 rANS 编码（误差相同）</translation>
    </message>
    <message>
        <source>auto:</source>
        <translation>自动:</translation>
    </message>
    <message>
        <source>ratio %1× · %2 b/w</source>
        <translation>压缩比 %1× · %2 b/w</translation>
    </message>
    <message>
        <source>Sweep of the whole model (%1 tensors, totals by parameter count)</source>
        <translation>整个模型的参数扫描（%1 个张量，按参数量汇总）</translation>
    </message>
</context>
<context>
    <name>hc::SweepGridFields</name>
    <message>
        <source>&amp;U samples:</source>
        <translation>采样点数 U(&amp;U)：</translation>
    </message>
    <message>
        <source>Trajectory sample counts U: a comma-separated list, ranges such as 100-110 allowed</source>
        <translation>轨迹采样点数 U：以逗号分隔的列表，可使用 100-110 这样的范围</translation>
    </message>
    <message>
        <source>&amp;l box:</source>
        <translation>方框边长 l(&amp;L)：</translation>
    </message>
    <message>
        <source>absolute</source>
        <translation>绝对值</translation>
    </message>
    <message>
        <source>× σ</source>
        <translation>× σ</translation>
    </message>
    <message>
        <source>Give l in the weights&apos; own units, or as a multiple of each layer&apos;s standard deviation σ</source>
        <translation>以权重自身的单位给出 l，或以各层标准差 σ 的倍数给出</translation>
    </message>
    <message>
        <source>&amp;K classes:</source>
        <translation>类别数 K(&amp;K)：</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>auto up to</source>
        <translation>自动（作为上限）</translation>
    </message>
</context>
<context>
    <name>hc::SweepView</name>
    <message>
        <source>Grid</source>
        <translation>参数网格</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>范围(&amp;S)：</translation>
    </message>
    <message>
        <source>Sweep the layer selected in the table, or every layer of the model with the totals weighted by parameter count</source>
        <translation>对表中所选的层进行参数扫描，或对模型的所有层进行扫描并按参数量加权汇总</translation>
    </message>
    <message>
        <source>Box sizes l: a comma-separated list of positive numbers, in the weights&apos; units or in σ</source>
        <translation>方框边长 l：以逗号分隔的正数列表，单位为权重自身的单位或 σ</translation>
    </message>
    <message>
        <source>Class counts K (or K_max when automatic): a comma-separated list, ranges such as 1-4 allowed</source>
        <translation>类别数 K（自动时为 K_max）：以逗号分隔的列表，可使用 1-4 这样的范围</translation>
    </message>
    <message>
        <source>Fixed: use each K as given. Auto: the codec picks K from 1 to each value by the lowest error</source>
        <translation>固定：按给定值使用每个 K。自动：编解码器在 1 到每个值之间选取误差最小的 K</translation>
    </message>
    <message>
        <source>&amp;Error:</source>
        <translation>误差(&amp;E)：</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Mean absolute error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>The error drawn against the ratio; the Pareto front follows it</source>
        <translation>相对于压缩比绘制的误差；帕累托前沿依据此误差确定</translation>
    </message>
    <message>
        <source>&amp;Logarithmic error axis</source>
        <translation>对数误差轴(&amp;L)</translation>
    </message>
    <message>
        <source>Draw the error on a log scale, so that small and large errors both read well</source>
        <translation>以对数刻度绘制误差，使大小误差都清晰可读</translation>
    </message>
    <message>
        <source>Compare with the coding &amp;modes</source>
        <translation>与各编码模式比较(&amp;M)</translation>
    </message>
    <message>
        <source>Also run the density mode (4 and 5 b/w), the lattice mode (3.5, 4.0, 4.25 b/w) and the Pareto configs with entropy-coded indices; takes longer</source>
        <translation>同时运行密度模式（4 和 5 b/w）、格点模式（3.5、4.0、4.25 b/w）以及索引经熵编码的帕累托配置；耗时更长</translation>
    </message>
    <message>
        <source>&amp;Run sweep</source>
        <translation>运行参数扫描(&amp;R)</translation>
    </message>
    <message>
        <source>Evaluate every config of the grid in the background</source>
        <translation>在后台评估网格中的每个配置</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running sweep</source>
        <translation>停止正在进行的参数扫描</translation>
    </message>
    <message>
        <source>Progress of the running sweep</source>
        <translation>正在进行的参数扫描的进度</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p%</translation>
    </message>
    <message>
        <source>Pareto</source>
        <translation>帕累托</translation>
    </message>
    <message>
        <source>U</source>
        <translation>U</translation>
    </message>
    <message>
        <source>l (σ)</source>
        <translation>l (σ)</translation>
    </message>
    <message>
        <source>l</source>
        <translation>l</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <source>b/w</source>
        <translation>b/w</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>SQNR dB</source>
        <translation>SQNR dB</translation>
    </message>
    <message>
        <source>Every config of the last sweep; click a header to sort, double-click a row to apply it</source>
        <translation>上次参数扫描的所有配置；点击表头可排序，双击某行可应用该配置</translation>
    </message>
    <message>
        <source>The config under the mouse pointer</source>
        <translation>鼠标指针下的配置</translation>
    </message>
    <message>
        <source>Hover over a point to see its config; click a config to apply it.</source>
        <translation>将鼠标悬停在某个点上可查看其配置；点击配置即可应用。</translation>
    </message>
    <message>
        <source>This layer</source>
        <translation>当前层</translation>
    </message>
    <message>
        <source>This layer (%1)</source>
        <translation>当前层（%1）</translation>
    </message>
    <message>
        <source>Whole model</source>
        <translation>整个模型</translation>
    </message>
    <message>
        <source>Fix the lists above to run a sweep.</source>
        <translation>请修正上面的列表后再运行参数扫描。</translation>
    </message>
    <message>
        <source>%1 × %2 × %3 = %4 configs</source>
        <translation>%1 × %2 × %3 = %4 个配置</translation>
    </message>
    <message>
        <source>The grid is not valid: see the message under the field.</source>
        <translation>参数网格无效：请查看输入框下方的提示。</translation>
    </message>
    <message>
        <source>Open a model to sweep.</source>
        <translation>请先打开模型再进行参数扫描。</translation>
    </message>
    <message>
        <source>Select a layer to sweep, or sweep the whole model.</source>
        <translation>请选择要扫描的层，或对整个模型进行扫描。</translation>
    </message>
    <message>
        <source>Stopping the running sweep to start the new one…</source>
        <translation>正在停止当前参数扫描以开始新的扫描…</translation>
    </message>
    <message>
        <source>Sweeping %1 configs on %2…</source>
        <translation>正在对 %2 扫描 %1 个配置…</translation>
    </message>
    <message>
        <source>Sweeping %1 configs on every layer…</source>
        <translation>正在对每一层扫描 %1 个配置…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>The sweep was cancelled.</source>
        <translation>参数扫描已取消。</translation>
    </message>
    <message>
        <source>The sweep failed: %1.</source>
        <translation>参数扫描失败：%1。</translation>
    </message>
    <message>
        <source>%1 configs in %2 s.</source>
        <translation>%1 个配置，用时 %2 秒。</translation>
    </message>
    <message>
        <source>Not shown: %1.</source>
        <translation>未显示：%1。</translation>
    </message>
    <message>
        <source>auto:%1 → %2</source>
        <translation>自动:%1 → %2</translation>
    </message>
</context>
<context>
    <name>hc::VerifyView</name>
    <message>
        <source>Verify needs a TorchScript model whose forward takes one tensor: %1</source>
        <translation>验证需要一个 forward 只接受一个张量的 TorchScript 模型：%1</translation>
    </message>
    <message>
        <source>Verify needs a TorchScript model whose forward takes one tensor; the forward of %1 is “%2”.</source>
        <translation>验证需要一个 forward 只接受一个张量的 TorchScript 模型；%1 的 forward 为“%2”。</translation>
    </message>
    <message>
        <source>The archive cannot be put into the module: %1</source>
        <translation>无法将归档载入该模块：%1</translation>
    </message>
    <message>
        <source>%1: the input file must hold exactly one tensor, not %2.</source>
        <translation>%1：输入文件必须恰好包含一个张量，而不是 %2 个。</translation>
    </message>
    <message>
        <source>The model&apos;s forward failed (is the input shape right?): %1</source>
        <translation>模型的 forward 运行失败（输入形状是否正确？）：%1</translation>
    </message>
    <message>
        <source>The restored model&apos;s forward failed: %1</source>
        <translation>还原后模型的 forward 运行失败：%1</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;Original module:</source>
        <translation>原始模块(&amp;O)：</translation>
    </message>
    <message>
        <source>A TorchScript module (.pt) whose forward takes one tensor</source>
        <translation>forward 只接受一个张量的 TorchScript 模块（.pt）</translation>
    </message>
    <message>
        <source>The TorchScript module the archive was made from</source>
        <translation>生成该归档所用的 TorchScript 模块</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>&amp;Archive:</source>
        <translation>归档(&amp;A)：</translation>
    </message>
    <message>
        <source>The HyperComp archive (.hca) made from that module</source>
        <translation>由该模块生成的 HyperComp 归档（.hca）</translation>
    </message>
    <message>
        <source>Its tensors replace the module&apos;s parameters to make the restored module</source>
        <translation>用其中的张量替换模块的参数，得到还原后的模块</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>&amp;Random normal</source>
        <translation>随机正态分布(&amp;R)</translation>
    </message>
    <message>
        <source>A standard-normal tensor, the same for the same shape and seed on every machine</source>
        <translation>标准正态分布张量；只要形状和种子相同，在任何机器上都相同</translation>
    </message>
    <message>
        <source>&amp;Shape:</source>
        <translation>形状(&amp;S)：</translation>
    </message>
    <message>
        <source>The input tensor&apos;s shape, e.g. “1, 32” or “8x3x224x224”</source>
        <translation>输入张量的形状，例如“1, 32”或“8x3x224x224”</translation>
    </message>
    <message>
        <source>e.g. 1, 32</source>
        <translation>例如 1, 32</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <source>Seed of the random input</source>
        <translation>随机输入的种子</translation>
    </message>
    <message>
        <source>&amp;Input tensor</source>
        <translation>输入张量(&amp;I)</translation>
    </message>
    <message>
        <source>One tensor saved in a safetensors file</source>
        <translation>保存在 safetensors 文件中的单个张量</translation>
    </message>
    <message>
        <source>A safetensors file holding one tensor</source>
        <translation>包含单个张量的 safetensors 文件</translation>
    </message>
    <message>
        <source>&amp;Load Input Tensor…</source>
        <translation>加载输入张量(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Restore the module from the archive and run both on the input (in the background)</source>
        <translation>从归档还原模块，并在后台用该输入运行两个模块</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <source>Output difference (restored against original)</source>
        <translation>输出差异（还原后与原始相比）</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Max absolute error</source>
        <translation>最大绝对误差</translation>
    </message>
    <message>
        <source>Mean absolute error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>Unchanged arg-max</source>
        <translation>arg-max 一致率</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Largest |restored − original| over the output</source>
        <translation>输出上 |还原 − 原始| 的最大值</translation>
    </message>
    <message>
        <source>Mean |restored − original| over the output</source>
        <translation>输出上 |还原 − 原始| 的平均值</translation>
    </message>
    <message>
        <source>‖restored − original‖ / ‖original‖</source>
        <translation>‖还原 − 原始‖ / ‖原始‖</translation>
    </message>
    <message>
        <source>Cosine of the angle between the flattened outputs (1 = same direction)</source>
        <translation>展平后的输出之间夹角的余弦（1 表示方向相同）</translation>
    </message>
    <message>
        <source>Share of rows (last dimension) whose largest entry is the same: for classifiers, the share of unchanged predictions</source>
        <translation>最大元素位置相同的行（沿最后一维）所占比例：对分类器而言，即预测结果未改变的比例</translation>
    </message>
    <message>
        <source>Shape of the output compared</source>
        <translation>所比较输出的形状</translation>
    </message>
    <message>
        <source>Demo classifier: test accuracy</source>
        <translation>演示分类器：测试准确率</translation>
    </message>
    <message>
        <source>Before compression</source>
        <translation>压缩前</translation>
    </message>
    <message>
        <source>After compression</source>
        <translation>压缩后</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Accuracy of the bundled demo classifier on its held-out test set, with the original and with the restored parameters</source>
        <translation>内置演示分类器在其留出测试集上的准确率，分别使用原始参数和还原后的参数</translation>
    </message>
    <message>
        <source>Choose the original TorchScript module.</source>
        <translation>请选择原始 TorchScript 模块。</translation>
    </message>
    <message>
        <source>%1: the file does not exist.</source>
        <translation>%1：文件不存在。</translation>
    </message>
    <message>
        <source>Choose the archive to verify (compress the model in the Whole model tab, or open an .hca file).</source>
        <translation>请选择要验证的归档（在“整个模型”选项卡中压缩模型，或打开一个 .hca 文件）。</translation>
    </message>
    <message>
        <source>“%1” is not an input shape: give positive whole numbers separated by commas, e.g. “1, 32”.</source>
        <translation>“%1”不是有效的输入形状：请给出以逗号分隔的正整数，例如“1, 32”。</translation>
    </message>
    <message>
        <source>Choose a safetensors file holding the input tensor.</source>
        <translation>请选择包含输入张量的 safetensors 文件。</translation>
    </message>
    <message>
        <source>No temporary folder can be made for the restored module (%1).</source>
        <translation>无法为还原后的模块创建临时文件夹（%1）。</translation>
    </message>
    <message>
        <source>Restoring the module and running both…</source>
        <translation>正在还原模块并运行两个模块…</translation>
    </message>
    <message>
        <source>The check did not run.</source>
        <translation>检查未运行。</translation>
    </message>
    <message>
        <source>Checked in %1 s: %2 output values compared.</source>
        <translation>检查用时 %1 秒：比较了 %2 个输出值。</translation>
    </message>
    <message>
        <source>Run the check to measure the demo classifier&apos;s accuracy with the restored parameters.</source>
        <translation>运行检查，以测量演示分类器使用还原后参数时的准确率。</translation>
    </message>
    <message>
        <source>%1 (%2 %)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <source>%1 % (%2 of %3 rows)</source>
        <translation>%1%（%3 行中的 %2 行）</translation>
    </message>
    <message>
        <source>%1, %2 values</source>
        <translation>%1，%2 个值</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1%2 points</source>
        <translation>%1%2 个百分点</translation>
    </message>
    <message>
        <source>No retraining: the restored weights are used as they are, and the classifier is as accurate as before (within a point).</source>
        <translation>无需重新训练：直接使用还原后的权重，分类器的准确率与之前相当（相差不超过 1 个百分点）。</translation>
    </message>
    <message>
        <source>The restored weights cost more than a point of accuracy: try more samples U or a larger K for the most sensitive layers.</source>
        <translation>还原后的权重使准确率下降超过 1 个百分点：请为最敏感的层尝试更多采样点 U 或更大的 K。</translation>
    </message>
    <message>
        <source>%1 → %2 (%3)</source>
        <translation>%1 → %2（%3）</translation>
    </message>
    <message>
        <source>Original TorchScript Module</source>
        <translation>原始 TorchScript 模块</translation>
    </message>
    <message>
        <source>TorchScript modules (*.pt *.pth);;All files (*)</source>
        <translation>TorchScript 模块 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>HyperComp archives (*.hca *.safetensors);;All files (*)</source>
        <translation>HyperComp 归档 (*.hca *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Input Tensor</source>
        <translation>输入张量</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors);;All files (*)</source>
        <translation>safetensors (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 of %2 test samples</source>
        <translation>%2 个测试样本中的 %1 个</translation>
    </message>
</context>
<context>
    <name>hc::WeightCloudView</name>
    <message>
        <source>Fit &amp;Box</source>
        <translation>缩放到方框(&amp;B)</translation>
    </message>
    <message>
        <source>Zoom to the centre box and its trajectory samples</source>
        <translation>缩放到中心方框及其轨迹采样点</translation>
    </message>
    <message>
        <source>Fit &amp;All</source>
        <translation>缩放到全部(&amp;A)</translation>
    </message>
    <message>
        <source>Zoom out to every pair of the layer</source>
        <translation>缩小以显示该层的全部权重对</translation>
    </message>
    <message>
        <source>w[2i]</source>
        <translation>w[2i]</translation>
    </message>
    <message>
        <source>w[2i+1]</source>
        <translation>w[2i+1]</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>方框</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>采样点</translation>
    </message>
    <message>
        <source>U %1 · l %2 · K %3</source>
        <translation>U %1 · l %2 · K %3</translation>
    </message>
    <message>
        <source>Showing %1 of %2 pairs (an even subsample; the readouts use all pairs) · %3</source>
        <translation>显示 %2 对中的 %1 对（均匀抽样；读数使用全部权重对） · %3</translation>
    </message>
    <message>
        <source>%1 pairs · %2</source>
        <translation>%1 对 · %2</translation>
    </message>
</context>
<context>
    <name>hc::WholeModelView</name>
    <message>
        <source>Compressed %1 layers in %2: ratio %3, relative error %4.</source>
        <translation>已压缩 %1 个层，用时 %2：压缩比 %3，相对误差 %4。</translation>
    </message>
    <message>
        <source>Compression cancelled; no archive was written.</source>
        <translation>压缩已取消；未写入任何归档。</translation>
    </message>
    <message>
        <source>Compression was cancelled.</source>
        <translation>压缩已取消。</translation>
    </message>
    <message>
        <source>The export was cancelled; nothing was written.</source>
        <translation>导出已取消；未写入任何内容。</translation>
    </message>
    <message>
        <source>&amp;Compress model</source>
        <translation>压缩模型(&amp;C)</translation>
    </message>
    <message>
        <source>Compress every layer with the current config (defaults, per-layer overrides and skip patterns) in the background</source>
        <translation>在后台使用当前配置（默认值、逐层覆盖设置和跳过模式）压缩每一层</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the compression; no archive is left behind</source>
        <translation>停止压缩；不会留下任何归档</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the config (NAME.hcconfig.json) and the archive (NAME.hca): the same bytes as “hypercomp compress MODEL -o NAME.hca --config NAME.hcconfig.json”</source>
        <translation>写入配置（NAME.hcconfig.json）和归档（NAME.hca）：与“hypercomp compress MODEL -o NAME.hca --config NAME.hcconfig.json”生成的字节完全相同</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>还原(&amp;R)…</translation>
    </message>
    <message>
        <source>Open an archive and write the restored model as safetensors, a state dict or TorchScript</source>
        <translation>打开归档，并将还原后的模型写为 safetensors、状态字典或 TorchScript</translation>
    </message>
    <message>
        <source>Progress of the compression, weighted by the layers&apos; sizes</source>
        <translation>压缩进度，按各层大小加权</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Per layer</source>
        <translation>逐层</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数量：</translation>
    </message>
    <message>
        <source>Size before:</source>
        <translation>压缩前大小：</translation>
    </message>
    <message>
        <source>Size after:</source>
        <translation>压缩后大小：</translation>
    </message>
    <message>
        <source>Ratio:</source>
        <translation>压缩比：</translation>
    </message>
    <message>
        <source>MAE:</source>
        <translation>MAE：</translation>
    </message>
    <message>
        <source>Relative error:</source>
        <translation>相对误差：</translation>
    </message>
    <message>
        <source>Throughput:</source>
        <translation>吞吐量：</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>用时：</translation>
    </message>
    <message>
        <source>The model file being compressed</source>
        <translation>正在压缩的模型文件</translation>
    </message>
    <message>
        <source>Layers compressed and layers stored raw (skipped by the config, or not a float tensor)</source>
        <translation>已压缩的层数和按原样存储的层数（被配置跳过，或不是浮点张量）</translation>
    </message>
    <message>
        <source>Parameters of the whole model</source>
        <translation>整个模型的参数量</translation>
    </message>
    <message>
        <source>The model&apos;s tensor bytes</source>
        <translation>模型张量的字节数</translation>
    </message>
    <message>
        <source>The archive&apos;s file size (payloads, header and metadata)</source>
        <translation>归档文件大小（有效载荷、文件头和元数据）</translation>
    </message>
    <message>
        <source>Size before divided by size after</source>
        <translation>压缩前大小除以压缩后大小</translation>
    </message>
    <message>
        <source>Mean absolute error over every parameter of the model (raw layers count as exact)</source>
        <translation>模型所有参数上的平均绝对误差（原样存储的层按无误差计）</translation>
    </message>
    <message>
        <source>‖restored − original‖ / ‖original‖ over the whole model</source>
        <translation>整个模型上的 ‖还原 − 原始‖ / ‖原始‖</translation>
    </message>
    <message>
        <source>Parameters compressed per second (encode, measure and write)</source>
        <translation>每秒压缩的参数量（包括编码、度量和写入）</translation>
    </message>
    <message>
        <source>Wall time of the compression</source>
        <translation>压缩的实际耗时</translation>
    </message>
    <message>
        <source>Compression ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>bytes before / bytes after</source>
        <translation>压缩前字节数 / 压缩后字节数</translation>
    </message>
    <message>
        <source>Compressed</source>
        <translation>已压缩</translation>
    </message>
    <message>
        <source>Stored raw</source>
        <translation>原样存储</translation>
    </message>
    <message>
        <source>Each layer&apos;s size before divided by the bytes it takes in the archive</source>
        <translation>每层压缩前大小除以其在归档中占用的字节数</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>‖Δw‖ / ‖w‖ (%)</source>
        <translation>‖Δw‖ / ‖w‖ (%)</translation>
    </message>
    <message>
        <source>Each layer&apos;s relative Frobenius error in percent (raw layers are exact)</source>
        <translation>每层的 Frobenius 相对误差，以百分比表示（原样存储的层无误差）</translation>
    </message>
    <message numerus="yes">
        <source>Ready: %n layer(s) to compress.</source>
        <translation>
            <numerusform>就绪：%n 个层待压缩。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 M params/s</source>
        <translation>%1 M 参数/秒</translation>
    </message>
    <message>
        <source>%1 k params/s</source>
        <translation>%1 k 参数/秒</translation>
    </message>
    <message>
        <source>%1 params/s</source>
        <translation>%1 参数/秒</translation>
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
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <source>No temporary folder can be made for the archive (%1).</source>
        <translation>无法为归档创建临时文件夹（%1）。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Writing the archive…</source>
        <translation>正在写入归档…</translation>
    </message>
    <message>
        <source>Layer %1 of %2: %3</source>
        <translation>第 %1 层，共 %2 层：%3</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>%p %</source>
        <translation>%p%</translation>
    </message>
    <message>
        <source>%1 (%2 compressed, %3 raw)</source>
        <translation>%1（%2 个已压缩，%3 个原样存储）</translation>
    </message>
    <message>
        <source>%1 (%2 %)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>The config changed since this compression: the figures are those of the previous config, and Export will compress again.</source>
        <translation>自本次压缩以来配置已更改：这些数值来自之前的配置，导出时将重新压缩。</translation>
    </message>
    <message>
        <source>Not compressed yet</source>
        <translation>尚未压缩</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>%1: the archive would overwrite the model it is made from.</source>
        <translation>%1：归档会覆盖生成它的模型文件。</translation>
    </message>
    <message>
        <source>%1: the folder does not exist.</source>
        <translation>%1：文件夹不存在。</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Exported %1 and %2.</source>
        <translation>已导出 %1 和 %2。</translation>
    </message>
    <message>
        <source>Export Config and Archive</source>
        <translation>导出配置和归档</translation>
    </message>
    <message>
        <source>HyperComp archive (*.hca)</source>
        <translation>HyperComp 归档 (*.hca)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>%1 cannot be written: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>%1 cannot be written: the PNG could not be encoded.</source>
        <translation>无法写入 %1：无法编码 PNG。</translation>
    </message>
    <message>
        <source>Explore hyper-compression of neural-network weights layer by layer.</source>
        <translation>逐层探索神经网络权重的超压缩。</translation>
    </message>
    <message>
        <source>Model to open (safetensors, .pt/.pth/.bin, TorchScript); the bundled demo model when none is given.</source>
        <translation>要打开的模型（safetensors、.pt/.pth/.bin、TorchScript）；未指定时打开内置演示模型。</translation>
    </message>
    <message>
        <source>Render the window off-screen to FILE.png once the readouts are in, then exit.</source>
        <translation>读数计算完成后，将窗口离屏渲染到 FILE.png，然后退出。</translation>
    </message>
    <message>
        <source>Layer to select (by its name in the model).</source>
        <translation>要选择的层（按其在模型中的名称）。</translation>
    </message>
    <message>
        <source>expected at most one model, got %1.</source>
        <translation>最多只能指定一个模型，实际指定了 %1 个。</translation>
    </message>
    <message>
        <source>--screenshot needs a file name.</source>
        <translation>--screenshot 需要一个文件名。</translation>
    </message>
    <message>
        <source>%1 cannot be written: the folder %2 does not exist.</source>
        <translation>无法写入 %1：文件夹 %2 不存在。</translation>
    </message>
</context>
</TS>
