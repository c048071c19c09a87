"""The live page: one self-contained HTML file (no CDN, no network assets), streaming canvas charts."""

from __future__ import annotations

import json

_PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hip_exo live</title>
<style>
 body{margin:0;font:13px system-ui,sans-serif;background:#101418;color:#dde3ea}
 header{display:flex;gap:18px;align-items:baseline;padding:8px 14px;background:#182028}
 header b{font-size:15px} #status{margin-left:auto;font-variant-numeric:tabular-nums;color:#9fb0c0}
 .panel{padding:4px 14px 0} .panel h3{margin:6px 0 2px;font-size:13px;font-weight:600;color:#b8c6d4}
 canvas{width:100%;height:210px;display:block;background:#0b0e11;border:1px solid #26313b}
 .key{display:inline-block;width:14px;height:3px;margin:0 4px 3px 12px;vertical-align:middle}
</style></head><body>
<header><b>hip_exo live</b><span id="trial"></span><span id="status">connecting...</span></header>
<div class="panel"><h3>Left hip torque (Nm)<span class="key" style="background:#4ea1ff"></span>commanded
 <span class="key" style="background:#ff9f43"></span>measured <span class="key" style="background:#8d99a6"></span>teacher (sim)</h3><canvas id="c0"></canvas></div>
<div class="panel"><h3>Right hip torque (Nm)<span class="key" style="background:#4ea1ff"></span>commanded
 <span class="key" style="background:#ff9f43"></span>measured <span class="key" style="background:#8d99a6"></span>teacher (sim)</h3><canvas id="c1"></canvas></div>
<div class="panel"><h3>Thigh flexion rate (rad/s)<span class="key" style="background:#2ed573"></span>left
 <span class="key" style="background:#e056fd"></span>right</h3><canvas id="c2"></canvas></div>
<script>
"use strict";
const META = __META__;
const WINDOW = META.window_s;
const COLS = {t:0, cmd_l:1, cmd_r:2, meas_l:3, meas_r:4, gyro_l:5, gyro_r:6, teacher_l:7, teacher_r:8};
const PANELS = [
  {id:"c0", lines:[["teacher_l","#8d99a6",1.0],["cmd_l","#4ea1ff",1.8],["meas_l","#ff9f43",1.2]]},
  {id:"c1", lines:[["teacher_r","#8d99a6",1.0],["cmd_r","#4ea1ff",1.8],["meas_r","#ff9f43",1.2]]},
  {id:"c2", lines:[["gyro_l","#2ed573",1.4],["gyro_r","#e056fd",1.4]]},
];
let rows = [];
let dirty = false;
const stats = {samples:0, batches:0, frames:0, rateHz:0, lastT:0, connected:false};
window.liveStats = stats;
document.getElementById("trial").textContent = META.title || "";

function niceRange(lo, hi) {
  const m = Math.max(Math.abs(lo), Math.abs(hi), 1e-3) * 1.15;
  const p = Math.pow(10, Math.floor(Math.log10(m)));
  const s = [1, 2, 2.5, 5, 10].map(k => k * p).find(v => v >= m);
  return [-s, s];
}
function draw() {
  if (!rows.length) return;
  const tEnd = rows[rows.length - 1][0], tStart = tEnd - WINDOW;
  for (const panel of PANELS) {
    const cv = document.getElementById(panel.id), dpr = window.devicePixelRatio || 1;
    const w = cv.clientWidth, h = cv.clientHeight;
    if (cv.width !== Math.round(w * dpr)) { cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr); }
    const g = cv.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) for (const [k] of panel.lines) { const v = r[COLS[k]]; if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    if (!isFinite(lo)) { lo = -1; hi = 1; }
    const [y0, y1] = niceRange(lo, hi), L = 44, R = 8, T = 6, B = 18;
    const X = t => L + (t - tStart) / WINDOW * (w - L - R), Y = v => T + (y1 - v) / (y1 - y0) * (h - T - B);
    g.strokeStyle = "#26313b"; g.fillStyle = "#7f8fa0"; g.lineWidth = 1; g.font = "11px system-ui";
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (y1 - y0) * i / 4, y = Y(v);
      g.beginPath(); g.moveTo(L, y); g.lineTo(w - R, y); g.stroke();
      const step = (y1 - y0) / 4;
      g.fillText(v.toFixed(step < 2 ? 2 : step < 10 ? 1 : 0), 4, y + 4);
    }
    for (let s = Math.ceil(tStart); s <= tEnd; s++) {
      const x = X(s); g.beginPath(); g.moveTo(x, T); g.lineTo(x, h - B); g.stroke();
      g.fillText(s.toFixed(0) + " s", x - 8, h - 4);
    }
    for (const [k, colour, width] of panel.lines) {
      g.strokeStyle = colour; g.lineWidth = width; g.beginPath();
      let pen = false;
      for (const r of rows) {
        const v = r[COLS[k]];
        if (v === null) { pen = false; continue; }
        const x = X(r[0]), y = Y(v);
        if (pen) g.lineTo(x, y); else { g.moveTo(x, y); pen = true; }
      }
      g.stroke();
    }
  }
  stats.frames++;
}
function frame() { if (dirty) { dirty = false; draw(); } requestAnimationFrame(frame); }
requestAnimationFrame(frame);
setInterval(() => { if (dirty) { dirty = false; draw(); } }, 250);  // also when rAF is throttled (hidden tab)

const es = new EventSource("stream");
es.onopen = () => { stats.connected = true; };
es.onerror = () => { stats.connected = false; document.getElementById("status").textContent = "disconnected, retrying..."; };
es.onmessage = (e) => {
  const batch = JSON.parse(e.data);
  if (!batch.length) return;
  if (rows.length && batch[0][0] < rows[rows.length - 1][0]) rows = [];  // a new trial (or replay loop) started
  for (const r of batch) rows.push(r);
  const tEnd = rows[rows.length - 1][0];
  let cut = 0; while (cut < rows.length && rows[cut][0] < tEnd - WINDOW) cut++;
  if (cut) rows.splice(0, cut);
  let n1 = 0; for (let i = rows.length - 1; i >= 0 && rows[i][0] > tEnd - 1.0; i--) n1++;
  stats.samples += batch.length; stats.batches++; stats.lastT = tEnd; stats.rateHz = n1;
  const last = rows[rows.length - 1];
  const f = v => v === null ? "-" : v.toFixed(2);
  document.getElementById("status").textContent =
    `t ${tEnd.toFixed(2)} s | ${n1} samples/s | cmd L ${f(last[1])} R ${f(last[2])} Nm | meas L ${f(last[3])} R ${f(last[4])} Nm`;
  dirty = true;
};
</script></body></html>
"""


def render_page(meta: dict[str, object]) -> bytes:
    """The page with its settings (window length, title) filled in."""
    return _PAGE.replace("__META__", json.dumps(meta)).encode("utf8")
