-- radlab: tests of rad.markdown.html (libcmark).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local h = rad.markdown.html
T.is(h("# Title\n\nSome *text* and `code`.\n"), "<h1>Title</h1>\n<p>Some <em>text</em> and <code>code</code>.</p>\n",
  "heading, emphasis and code")
T.is(h("- a\n- b\n"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", "a list")
T.is(h(""), "", "empty text gives empty html")
T.is(h("1 < 2 & 3 > 2"), "<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n", "text is escaped")

-- raw HTML: omitted by default (libcmark's safe mode), kept with unsafe = true
T.is(h("<script>alert(1)</script>\n"), "<!-- raw HTML omitted -->\n", "a raw HTML block is omitted")
T.is(h("a <b>bold</b> word"), "<p>a <!-- raw HTML omitted -->bold<!-- raw HTML omitted --> word</p>\n",
  "inline raw HTML is omitted")
T.is(h("[x](javascript:alert(1))"), '<p><a href="">x</a></p>\n', "a javascript: link is emptied")
T.is(h("<script>alert(1)</script>\n", {unsafe = true}), "<script>alert(1)</script>\n", "unsafe = true keeps raw HTML")
T.is(h("a <b>bold</b> word", {unsafe = false}), "<p>a <!-- raw HTML omitted -->bold<!-- raw HTML omitted --> word</p>\n",
  "unsafe = false is the default")
T.is(h("caf\xff"), "<p>caf\xef\xbf\xbd</p>\n", "invalid UTF-8 becomes U+FFFD")

-- bad input
T.errors(function() h() end, "bad argument #1", "no text")
T.errors(function() h("x", {unsafe = "yes"}) end, "unsafe must be true or false, got a string", "unsafe not a boolean")
T.errors(function() h("x", {safe = true}) end, "safe", "an unknown option is named")
T.like(rad.help(rad.markdown.html), "^rad%.markdown%.html%(text", "help text")
T.done()
