/*
 * gen search client: answers a query from the index files that gen exports
 * (generator/internal/search), exactly as Bleve answers it at build time.
 *
 * - Query analysis is Bleve's "en" analyzer: Unicode word segmentation,
 *   possessive removal, lowercasing, Bleve's English stop list and the Porter
 *   stemmer as go-porterstemmer implements it.
 * - The query tree and its scoring are Bleve's: tf-idf leaves, one query norm
 *   over every leaf (including prefix/fuzzy fallbacks with no postings), coord
 *   at every disjunction, children summed in the order Bleve sums them.
 * - Index files are plain scripts that call window.__genSearch.*, injected as
 *   <script> tags on demand: no fetch, workers, wasm or modules, so it works
 *   from file://.
 *
 * API: window.gen.search(query, {limit}) -> Promise<[{id, url, title, section,
 * score}]>; window.gen.excerpt(hit, query, {length}) -> Promise<{text, marks}>;
 * window.gen.highlight(text, query) -> {text, marks}; window.gen.suggest(query,
 * {limit}) -> Promise<[term]>, the known terms nearest to a query's words.
 * The index folder comes from the data-index attribute of this script's tag
 * (default "search/"), or window.gen.searchBase set before the first query.
 */
(function (window, document) {
  'use strict';

  var gen = window.gen = window.gen || {};

  // Bleve's English stop list (analysis/lang/en/stop_words_en.go); a Go test
  // compares it with Bleve's.
  var STOP_WORDS = ('a about above after again against all am an and any are aren\'t as at be because been ' +
    'before being below between both but by can\'t cannot could couldn\'t did didn\'t do does doesn\'t doing ' +
    'don\'t down during each few for from further had hadn\'t has hasn\'t have haven\'t having he he\'d he\'ll ' +
    'he\'s her here here\'s hers herself him himself his how how\'s i i\'d i\'ll i\'m i\'ve if in into is isn\'t ' +
    'it it\'s its itself let\'s me more most mustn\'t my myself no nor not of off on once only or other ought ' +
    'our ours ourselves out over own same shan\'t she she\'d she\'ll she\'s should shouldn\'t so some such than ' +
    'that that\'s the their theirs them themselves then there there\'s these they they\'d they\'ll they\'re ' +
    'they\'ve this those through to too under until up very was wasn\'t we we\'d we\'ll we\'re we\'ve were ' +
    'weren\'t what what\'s when when\'s where where\'s which while who who\'s whom why why\'s with won\'t would ' +
    'wouldn\'t you you\'d you\'ll you\'re you\'ve your yours yourself yourselves').split(' ');
  var STOP = Object.create(null);
  for (var si = 0; si < STOP_WORDS.length; si++) { STOP[STOP_WORDS[si]] = true; }

  // fround rounds to float32, as Bleve stores norms.
  var fround = Math.fround || (function () {
    var f = new Float32Array(1);
    return function (x) { f[0] = x; return f[0]; };
  })();

  // ---- code points ----

  function codePoints(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          out.push((c - 0xD800) * 0x400 + (d - 0xDC00) + 0x10000);
          i++;
          continue;
        }
      }
      out.push(c);
    }
    return out;
  }

  function fromCodePoints(cps) {
    var s = '';
    for (var i = 0; i < cps.length; i++) {
      var c = cps[i];
      if (c > 0xFFFF) {
        c -= 0x10000;
        s += String.fromCharCode(0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
      } else {
        s += String.fromCharCode(c);
      }
    }
    return s;
  }

  // compare orders strings by code point, which is Go's (UTF-8 byte) order.
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {
        var xs = x >= 0xD800 && x <= 0xDFFF, ys = y >= 0xD800 && y <= 0xDFFF;
        if (xs !== ys) { return xs ? 1 : -1; }
        return x < y ? -1 : 1;
      }
    }
    return a.length === b.length ? 0 : (a.length < b.length ? -1 : 1);
  }

  function startsWith(s, p) { return s.length >= p.length && s.substring(0, p.length) === p; }

  // utf8Len is the UTF-8 length of code point c, as Go's utf8.RuneLen.
  function utf8Len(c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

  // ---- analysis ----

  var segmenter = null;
  try {
    if (typeof Intl !== 'undefined' && Intl.Segmenter) {
      segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    }
  } catch (e) { segmenter = null; }
  var wordRe = null;
  try { wordRe = new RegExp('[\\p{L}\\p{N}\\p{M}\\p{Pc}]+(?:[\'\u2019\uFF07.:][\\p{L}\\p{N}\\p{M}]+)*', 'gu'); } catch (e2) { wordRe = /[A-Za-z0-9_\u00C0-\uFFFF]+(?:['\u2019.:][A-Za-z0-9\u00C0-\uFFFF]+)*/g; }

  var ideoRe = null;
  try { ideoRe = new RegExp('[\\p{Ideographic}\\p{Script=Hiragana}]', 'u'); } catch (e3) { ideoRe = /[\u3040-\u309F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/; }

  // splitIdeo adds the words of one word-like segment: ICU joins ideographs
  // into dictionary words, UAX #29 (and Bleve) keeps each one apart.
  function splitIdeo(seg, atEnd, out) {
    if (!ideoRe.test(seg)) { out.push({ text: seg, end: atEnd }); return; }
    var cps = codePoints(seg), run = [], pieces = [];
    for (var i = 0; i < cps.length; i++) {
      var ch = fromCodePoints([cps[i]]);
      if (ideoRe.test(ch)) {
        if (run.length) { pieces.push(fromCodePoints(run)); run = []; }
        pieces.push(ch);
      } else {
        run.push(cps[i]);
      }
    }
    if (run.length) { pieces.push(fromCodePoints(run)); }
    for (var k = 0; k < pieces.length; k++) { out.push({ text: pieces[k], end: atEnd && k === pieces.length - 1 }); }
  }

  // UAX #29 word-break classes of the one-character separators that join
  // two words (WB6/WB7: letters around MidLetter or MidNumLetQ; WB11/WB12:
  // digits around MidNum or MidNumLetQ).
  var MID_LETTER = ':\u00B7\u0387\u055F\u05F4\u2027\uFE13\uFE55\uFF1A';
  var MID_NUM = ',;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE10\uFE14\uFE50\uFE54\uFF0C\uFF1B';
  var MID_NUM_LET = '.\'\u2018\u2019\u2024\uFE52\uFF07\uFF0E';
  var letterRe = null, digitRe = null, markRe = null;
  try {
    letterRe = new RegExp('^[\\p{Alphabetic}]$', 'u');
    digitRe = new RegExp('^[\\p{Nd}]$', 'u');
    markRe = new RegExp('^[\\p{M}\\p{Cf}]$', 'u');
  } catch (e4) {
    letterRe = /^[A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u0481\u048A-\u0587]$/;
    digitRe = /^[0-9]$/;
    markRe = /^[\u0300-\u036F\u200B-\u200F]$/;
  }

  // charAround returns the code point before (dir -1) or after (dir 1)
  // index i of s as a string, skipping marks and format characters (WB4).
  function charAround(s, i, dir) {
    for (var k = i; k >= 0 && k < s.length; k += dir) {
      var c = s.charAt(k), code = s.charCodeAt(k);
      if (dir < 0 && code >= 0xDC00 && code <= 0xDFFF && k > 0) { c = s.substring(k - 1, k + 1); k--; }
      else if (dir > 0 && code >= 0xD800 && code <= 0xDBFF && k + 1 < s.length) { c = s.substring(k, k + 2); k++; }
      if (!markRe.test(c)) { return c; }
    }
    return '';
  }

  function isLetter(c) { return c !== '' && letterRe.test(c) && !ideoRe.test(c); }
  function isDigit(c) { return c !== '' && digitRe.test(c); }

  // joins says whether the one-character separator at s[i] joins the words
  // around it. Some ICU builds (Chromium's) do not join letters around a
  // full stop ("e.g", "runner.jar") as UAX #29 and blevesearch/segment do;
  // for any other build this changes nothing.
  function joins(s, i) {
    var c = s.charAt(i);
    var before = charAround(s, i - 1, -1), after = charAround(s, i + 1, 1);
    if ((MID_LETTER.indexOf(c) >= 0 || MID_NUM_LET.indexOf(c) >= 0) && isLetter(before) && isLetter(after)) { return true; }
    return (MID_NUM.indexOf(c) >= 0 || MID_NUM_LET.indexOf(c) >= 0) && isDigit(before) && isDigit(after);
  }

  // tokenize returns the words of s (UAX #29, as blevesearch/segment), each
  // with whether it ends the string.
  function tokenize(s) {
    var out = [], seg, m;
    if (segmenter) {
      // V8's segmenter slows down with the length of the string, so segment
      // in pieces cut after a whitespace that precedes a visible ASCII
      // character: no UAX #29 rule looks across such a point.
      for (var pos = 0; pos < s.length;) {
        var stop = s.length;
        if (stop - pos > 512) {
          for (var k = pos + 256; k < s.length - 1; k++) {
            var ch = s.charCodeAt(k), nx = s.charCodeAt(k + 1);
            if ((ch === 32 || ch === 10 || ch === 9 || ch === 13) && nx > 32 && nx < 127) { stop = k + 1; break; }
          }
        }
        var piece = s.substring(pos, stop);
        var iter = segmenter.segment(piece)[typeof Symbol !== 'undefined' ? Symbol.iterator : '@@iterator']();
        var prev = null, words = [];
        for (seg = iter.next(); !seg.done; seg = iter.next()) {
          var v = seg.value;
          if (!v.isWordLike) { continue; }
          if (prev && v.index === prev.end + 1 && joins(piece, prev.end)) {
            prev.text += piece.charAt(prev.end) + v.segment;
            prev.end = v.index + v.segment.length;
            continue;
          }
          prev = { text: v.segment, end: v.index + v.segment.length };
          words.push(prev);
        }
        for (var w = 0; w < words.length; w++) { splitIdeo(words[w].text, pos + words[w].end === s.length, out); }
        pos = stop;
      }
      return out;
    }
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(s)) !== null) {
      out.push({ text: m[0], end: m.index + m[0].length === s.length });
    }
    return out;
  }

  // possessive is Bleve's possessive_en: drop a final 's after ' ’ or ＇.
  function possessive(cps) {
    var n = cps.length;
    if (n >= 2 && (cps[n - 1] === 0x73 || cps[n - 1] === 0x53)) {
      var p = cps[n - 2];
      if (p === 0x2019 || p === 0x27 || p === 0xFF07) { return cps.slice(0, n - 2); }
    }
    return cps;
  }

  var lowerCache = Object.create(null);
  // lowerRune is Go's unicode.ToLower (simple case mapping) for one code point.
  function lowerRune(c) {
    if (c < 0x80) { return c >= 0x41 && c <= 0x5A ? c + 32 : c; }
    if (c === 0x130) { return 0x69; }
    var k = lowerCache[c];
    if (k !== undefined) { return k; }
    var l = codePoints(fromCodePoints([c]).toLowerCase());
    k = l.length === 1 ? l[0] : c;
    lowerCache[c] = k;
    return k;
  }

  function utf8Encode(cps) {
    var out = [];
    for (var i = 0; i < cps.length; i++) { encodeRune(cps[i], out); }
    return out;
  }

  function encodeRune(c, out) {
    if (c < 0x80) { out.push(c); }
    else if (c < 0x800) { out.push(0xC0 | c >> 6, 0x80 | c & 0x3F); }
    else if (c < 0x10000) { out.push(0xE0 | c >> 12, 0x80 | c >> 6 & 0x3F, 0x80 | c & 0x3F); }
    else { out.push(0xF0 | c >> 18, 0x80 | c >> 12 & 0x3F, 0x80 | c >> 6 & 0x3F, 0x80 | c & 0x3F); }
  }

  // decodeRune is Go's utf8.DecodeRune: [rune, width], [0xFFFD, 1] if invalid.
  function decodeRune(b, i) {
    var x = b[i], n = b.length - i, lo = 0x80, hi = 0xBF;
    if (x < 0x80) { return [x, 1]; }
    if (x < 0xC2 || x > 0xF4) { return [0xFFFD, 1]; }
    if (x < 0xE0) {
      if (n < 2 || b[i + 1] < 0x80 || b[i + 1] > 0xBF) { return [0xFFFD, 1]; }
      return [(x & 0x1F) << 6 | b[i + 1] & 0x3F, 2];
    }
    if (x === 0xE0) { lo = 0xA0; } else if (x === 0xED) { hi = 0x9F; } else if (x === 0xF0) { lo = 0x90; } else if (x === 0xF4) { hi = 0x8F; }
    if (n < 2 || b[i + 1] < lo || b[i + 1] > hi) { return [0xFFFD, 1]; }
    if (n < 3 || b[i + 2] < 0x80 || b[i + 2] > 0xBF) { return [0xFFFD, 1]; }
    if (x < 0xF0) { return [(x & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F, 3]; }
    if (n < 4 || b[i + 3] < 0x80 || b[i + 3] > 0xBF) { return [0xFFFD, 1]; }
    return [(x & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F, 4];
  }

  function utf8Decode(b) {
    var out = [];
    for (var i = 0; i < b.length;) { var d = decodeRune(b, i); out.push(d[0]); i += d[1]; }
    return out;
  }

  // lower is Bleve's to_lower filter (toLowerDeferredCopy) over UTF-8 bytes,
  // quirks included: the final-sigma rule, plain per-rune lowering of the rest
  // once a rune's lowercase is wider, and the bytes left unmoved after a rune
  // whose lowercase is narrower (so "İstanbul" indexes as "i\uFFFDstanbul").
  function lower(cps) {
    var ascii = true, i;
    for (i = 0; i < cps.length; i++) { if (cps[i] >= 0x80) { ascii = false; break; } }
    if (ascii) {
      var o = [];
      for (i = 0; i < cps.length; i++) { o.push(cps[i] >= 0x41 && cps[i] <= 0x5A ? cps[i] + 32 : cps[i]); }
      return o;
    }
    var s = utf8Encode(cps), j = 0;
    i = 0;
    while (i < s.length) {
      var wid = 1, r = s[i];
      if (r >= 0x80) { var d = decodeRune(s, i); r = d[0]; wid = d[1]; }
      var l = lowerRune(r);
      if (l === r) { i += wid; j += wid; continue; }
      if (l === 0x3C3 && i + 2 === s.length) { l = 0x3C2; }
      var lw = utf8Len(l);
      if (lw > wid) {
        var rest = utf8Decode(s.slice(i)), out = utf8Decode(s.slice(0, j));
        for (var k = 0; k < rest.length; k++) { out.push(lowerRune(rest[k])); }
        return out;
      }
      var enc = [];
      encodeRune(l, enc);
      for (var e = 0; e < enc.length; e++) { s[j + e] = enc[e]; }
      i += wid;
      j += lw;
    }
    return utf8Decode(s.slice(0, j));
  }

  // ---- Porter stemmer (M. F. Porter, 1980), as go-porterstemmer does it ----
  // Words are arrays of code points; anything but a, e, i, o, u (and y after a
  // consonant) is a consonant, and a suffix must be shorter than the word.

  var A = 97, E = 101, I = 105, O = 111, U = 117, Y = 121;

  function isCons(s, i) {
    var c = s[i];
    if (c === A || c === E || c === I || c === O || c === U) { return false; }
    if (c === Y) { return i === 0 ? true : !isCons(s, i - 1); }
    return true;
  }

  // measure counts the VC sequences of s[0:n].
  function measure(s, n) {
    var m = 0, i = 0;
    if (n === 0) { return 0; }
    while (isCons(s, i)) { i++; if (i >= n) { return m; } }
    while (i < n) {
      while (!isCons(s, i)) { i++; if (i >= n) { return m; } }
      while (isCons(s, i)) { i++; if (i >= n) { return m + 1; } }
      m++;
    }
    return m;
  }

  function ends(s, n, suf) {
    var k = suf.length;
    if (n <= k) { return false; }
    for (var i = 0; i < k; i++) {
      if (s[n - k + i] !== suf.charCodeAt(i)) { return false; }
    }
    return true;
  }

  function hasVowel(s, n) {
    for (var i = 0; i < n; i++) { if (!isCons(s, i)) { return true; } }
    return false;
  }

  function doubleCons(s, n) { return n >= 2 && s[n - 1] === s[n - 2] && isCons(s, n - 1); }

  function cvc(s, n) { return n >= 3 && isCons(s, n - 3) && !isCons(s, n - 2) && isCons(s, n - 1); }

  function setTail(s, n, tail) {
    var out = s.slice(0, n);
    for (var i = 0; i < tail.length; i++) { out.push(tail.charCodeAt(i)); }
    return out;
  }

  function step1a(s) {
    var n = s.length;
    if (ends(s, n, 'sses') || ends(s, n, 'ies')) { return s.slice(0, n - 2); }
    if (ends(s, n, 'ss')) { return s; }
    if (ends(s, n, 's')) { return s.slice(0, n - 1); }
    return s;
  }

  function step1bTail(s, n) {
    // s[0:n] is the word without -ed or -ing, and has a vowel.
    if (ends(s, n, 'at') || ends(s, n, 'bl') || ends(s, n, 'iz')) { return setTail(s, n, 'e'); }
    var c = s[n - 1];
    if (c !== 0x6C && c !== 0x73 && c !== 0x7A && doubleCons(s, n)) { return s.slice(0, n - 1); }
    if (measure(s, n) === 1 && cvc(s, n) && c !== 0x77 && c !== 0x78 && c !== Y) { return setTail(s, n, 'e'); }
    return s.slice(0, n);
  }

  function step1b(s) {
    var n = s.length;
    if (ends(s, n, 'eed')) {
      return measure(s, n - 3) > 0 ? s.slice(0, n - 1) : s;
    }
    if (ends(s, n, 'ed')) {
      return hasVowel(s, n - 2) ? step1bTail(s, n - 2) : s;
    }
    if (ends(s, n, 'ing')) {
      return hasVowel(s, n - 3) ? step1bTail(s, n - 3) : s;
    }
    return s;
  }

  function step1c(s) {
    var n = s.length;
    if (n < 2) { return s; }
    if (s[n - 1] === Y && hasVowel(s, n - 1)) { return setTail(s, n - 1, 'i'); }
    if (s[n - 1] === 0x59 && hasVowel(s, n - 1)) { return setTail(s, n - 1, 'I'); }
    return s;
  }

  // Rules are [suffix, replacement]; the first suffix that ends the word
  // decides, whether or not its measure condition holds.
  var STEP2 = [['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
    ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'],
    ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'],
    ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log']];
  var STEP3 = [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''],
    ['ness', '']];
  var STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou',
    'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

  function stepRules(s, rules, minM) {
    var n = s.length;
    for (var i = 0; i < rules.length; i++) {
      var suf = rules[i][0];
      if (ends(s, n, suf)) {
        var k = n - suf.length;
        return measure(s, k) > minM ? setTail(s, k, rules[i][1]) : s;
      }
    }
    return s;
  }

  function step4(s) {
    var n = s.length;
    for (var i = 0; i < STEP4.length; i++) {
      var suf = STEP4[i];
      if (ends(s, n, suf)) {
        var k = n - suf.length;
        if (suf === 'ion') {
          var c = s[k - 1];
          return measure(s, k) > 1 && (c === 0x73 || c === 0x74) ? s.slice(0, k) : s;
        }
        return measure(s, k) > 1 ? s.slice(0, k) : s;
      }
    }
    return s;
  }

  function step5a(s) {
    var n = s.length;
    if (n > 0 && s[n - 1] === E) {
      var m = measure(s, n - 1);
      if (m > 1) { return s.slice(0, n - 1); }
      if (m === 1) {
        var c = s[n - 2];
        if (!(cvc(s, n - 1) && c !== 0x77 && c !== 0x78 && c !== Y)) { return s.slice(0, n - 1); }
      }
    }
    return s;
  }

  function step5b(s) {
    var n = s.length;
    if (n > 2 && s[n - 2] === 0x6C && s[n - 1] === 0x6C && measure(s, n - 1) > 1) { return s.slice(0, n - 1); }
    return s;
  }

  // stemRunes is go-porterstemmer's StemWithoutLowerCasing.
  function stemRunes(s) {
    if (s.length <= 2) { return s; }
    s = step1a(s);
    s = step1b(s);
    s = step1c(s);
    s = stepRules(s, STEP2, 0);
    s = stepRules(s, STEP3, 0);
    s = step4(s);
    s = step5a(s);
    s = step5b(s);
    return s;
  }

  function stem(word) { return fromCodePoints(stemRunes(codePoints(word))); }

  // words analyses q: per word its lowercase form, its stem ('' for a stop
  // word) and whether it is the word being typed (the last, nothing after it).
  function words(q) {
    var toks = tokenize(q), out = [];
    for (var i = 0; i < toks.length; i++) {
      var cps = lower(possessive(codePoints(toks[i].text)));
      var low = fromCodePoints(cps);
      out.push({
        lower: low, runes: cps.length,
        stem: STOP[low] ? '' : fromCodePoints(stemRunes(cps)),
        partial: i === toks.length - 1 && toks[i].end
      });
    }
    return out;
  }

  // analyze is Bleve's "en" analyzer: the terms of text.
  function analyze(text) {
    var ws = words(text), out = [];
    for (var i = 0; i < ws.length; i++) { if (!STOP[ws[i].lower]) { out.push(ws[i].stem); } }
    return out;
  }

  function runeCount(s) { return codePoints(s).length; }

  // plan mirrors Index.plan in generator/internal/search/search.go.
  function plan(q, L) {
    var ws = words(q), stems = [], seen = Object.create(null), prefix = '';
    for (var i = 0; i < ws.length; i++) {
      var w = ws[i];
      if (w.partial && w.runes >= L.prefix && w.runes <= L.termRunes) {
        prefix = w.stem === '' ? w.lower : w.stem;
      }
      if (w.stem === '' || seen[w.stem] || runeCount(w.stem) > L.termRunes) { continue; }
      seen[w.stem] = true;
      stems.push(w.stem);
    }
    if (stems.length > L.terms) { stems = stems.slice(0, L.terms); prefix = ''; }
    var cs = [];
    for (var j = 0; j < stems.length; j++) {
      var n = runeCount(stems[j]);
      if (n >= L.fuzzy2) { cs.push({ kind: 'fuzzy', text: stems[j], dist: 2 }); }
      else if (n >= L.fuzzy1) { cs.push({ kind: 'fuzzy', text: stems[j], dist: 1 }); }
      else { cs.push({ kind: 'term', text: stems[j], dist: 0 }); }
    }
    if (prefix !== '') { cs.push({ kind: 'prefix', text: prefix, dist: 0 }); }
    return cs;
  }

  // editDistance is the optimal-string-alignment distance between code point
  // arrays (adjacent transpositions count 1, as in Bleve's Levenshtein
  // automata), or max+1 when it exceeds max. rows are three reusable buffers.
  function editDistance(a, b, max, rows) {
    var n = a.length, m = b.length, i, j;
    if (n - m > max || m - n > max) { return max + 1; }
    var pp = rows[0], p = rows[1], c = rows[2], t;
    for (j = 0; j <= m; j++) { p[j] = j; }
    for (i = 1; i <= n; i++) {
      c[0] = i;
      var rowMin = i, ai = a[i - 1];
      for (j = 1; j <= m; j++) {
        var v = p[j - 1] + (ai === b[j - 1] ? 0 : 1);
        if (p[j] + 1 < v) { v = p[j] + 1; }
        if (c[j - 1] + 1 < v) { v = c[j - 1] + 1; }
        if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === b[j - 1] && pp[j - 2] + 1 < v) { v = pp[j - 2] + 1; }
        c[j] = v;
        if (v < rowMin) { rowMin = v; }
      }
      if (rowMin > max) { return max + 1; }
      t = pp; pp = p; p = c; c = t;
    }
    return p[m] > max ? max + 1 : p[m];
  }

  function distRows(n) {
    return [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  }

  // ---- loading ----

  function scriptBase() {
    var s = document && document.currentScript;
    var b = s && s.getAttribute && s.getAttribute('data-index');
    return b || 'search/';
  }
  var defaultBase = scriptBase();

  var state = null; // per base: loaded data and pending loads

  // version counts the times the index was replaced under the page (gen
  // serve makes it again after edits, and says so): files of an older one
  // that load late are ignored.
  var version = 0;

  function newState(base) {
    return {
      base: base, version: version, entry: null, files: Object.create(null), post: [], dict: [], result: [],
      imp: [], full: [], terms: Object.create(null), postTerms: []
    };
  }

  function getState() {
    var base = gen.searchBase || defaultBase;
    if (base.length && base.charAt(base.length - 1) !== '/') { base += '/'; }
    if (!state || state.base !== base || state.version !== version) { state = newState(base); }
    return state;
  }

  // reset drops what was loaded of the index, for a new one.
  function reset() { version++; state = null; }

  // current says whether the index file running now is of the index in use.
  function current() {
    var s = document && document.currentScript;
    var v = s && s.getAttribute && s.getAttribute('data-v');
    return !!state && (v === null || v === undefined || +v === state.version);
  }

  // Registration functions the index files call.
  var reg = window.__genSearch = {
    entry: function (e) { if (current()) { state.entry = e; } },
    // pending: the preview server is still making the index.
    pending: function () { if (current()) { state.pending = true; } },
    imp: function (k, a) { if (current()) { state.imp[k] = a; } },
    full: function (k, lists) { if (current()) { state.full[k] = lists; } },
    post: function (k, terms, lists) {
      if (!current()) { return; }
      state.post[k] = true;
      state.postTerms[k] = terms;
      for (var i = 0; i < terms.length; i++) { state.terms[terms[i]] = lists[i]; }
    },
    dict: function (k, terms, masks) { if (current()) { state.dict[k] = { terms: terms, masks: masks }; } },
    result: function (k, rows) { if (current()) { state.result[k] = rows; } }
  };

  function load(st, name) {
    var p = st.files[name];
    if (p) { return p; }
    p = st.files[name] = new Promise(function (resolve, reject) {
      var el = document.createElement('script');
      // A replaced index is asked for anew, past the browser's cache.
      el.src = st.base + name + (st.version ? '?v=' + st.version : '');
      if (el.setAttribute) { el.setAttribute('data-v', String(st.version)); }
      el.async = true;
      el.onload = function () { resolve(); };
      el.onerror = function () {
        delete st.files[name];
        reject(new Error('gen search: cannot load ' + st.base + name));
      };
      (document.head || document.documentElement || document.body).appendChild(el);
    });
    return p;
  }

  // loadEntry loads the index's entry file. While gen serve is still making
  // the index, a stand-in entry says so: the query fails with an error whose
  // pending is true, and the next query asks again.
  function loadEntry(st) {
    return load(st, 'index.js').then(function () {
      if (st.entry) { return; }
      delete st.files['index.js'];
      // pending stays set: other queries may wait on the same load.
      var err = new Error(st.pending ? 'the search index is being made; it is ready in a moment' : 'the search index has no entry');
      err.pending = !!st.pending;
      throw err;
    });
  }

  function loadAll(st, names) {
    var ps = [];
    for (var i = 0; i < names.length; i++) { ps.push(load(st, names[i])); }
    return Promise.all(ps);
  }

  // shardOf returns the index of the shard whose range holds term: the last
  // shard whose first term is <= term.
  function shardOf(firsts, term) {
    var lo = 0, hi = firsts.length - 1, ans = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(firsts[mid], term) <= 0) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }

  // shardsWithPrefix returns the shards that may hold a term starting with p.
  function shardsWithPrefix(firsts, p) {
    var out = [];
    if (!firsts.length) { return out; }
    var k = shardOf(firsts, p);
    out.push(k);
    for (k = k + 1; k < firsts.length && compare(firsts[k], p) >= 0 && startsWith(firsts[k], p); k++) { out.push(k); }
    return out;
  }

  // ---- query tree and scoring (Bleve's searchers, see search.go) ----

  function firstRune(s) {
    var c = s.charCodeAt(0);
    return c >= 0xD800 && c <= 0xDBFF && s.length > 1 ? s.substring(0, 2) : s.substring(0, 1);
  }

  // candidates lists field fi's terms for clause c in dictionary order, with
  // their edit distances (fuzzy) as Bleve's FieldDictPrefix / fuzzy automaton.
  function candidates(st, c, fi) {
    var out = [], k, i;
    if (c.kind === 'prefix') {
      var ks = shardsWithPrefix(st.entry.post, c.text);
      for (k = 0; k < ks.length; k++) {
        var terms = st.postTerms[ks[k]];
        for (i = 0; i < terms.length; i++) {
          var t = terms[i];
          if (startsWith(t, c.text) && hasField(st.terms[t], fi)) { out.push({ term: t, dist: 0 }); }
        }
      }
      return out;
    }
    var bit = 1 << fi, all = c.fuzzyAll;
    for (i = 0; i < all.length; i++) {
      if (all[i].mask & bit) { out.push(all[i]); }
    }
    return out;
  }

  // fuzzyCandidates lists the dictionary's terms within c.dist of c.text
  // (sharing its first rune when the index asks for it), with their field masks.
  function fuzzyCandidates(st, c) {
    var out = [], pre = st.entry.limits.fuzzyPrefix > 0 ? firstRune(c.text) : '';
    var qc = codePoints(c.text), max = c.dist, rows = null;
    for (var k = 0; k < st.dict.length; k++) {
      var d = st.dict[k];
      if (!d) { continue; }
      if (!d.cps) {
        d.cps = [];
        for (var x = 0; x < d.terms.length; x++) { d.cps.push(codePoints(d.terms[x])); }
      }
      for (var i = 0; i < d.terms.length; i++) {
        var tc = d.cps[i];
        if (tc.length - qc.length > max || qc.length - tc.length > max) { continue; }
        if (pre && !startsWith(d.terms[i], pre)) { continue; }
        if (!rows || rows[0].length <= tc.length) { rows = distRows(Math.max(tc.length, qc.length) + 8); }
        var dist = editDistance(qc, tc, max, rows);
        if (dist <= max) { out.push({ term: d.terms[i], dist: dist, mask: parseInt(d.masks.charAt(i), 16) }); }
      }
    }
    return out;
  }

  // A node is {leaf: true, term, fi, boost, postings, big, count} or
  // {leaf: false, kids, count}; count is Bleve's Searcher.Count(). A leaf
  // has postings (doc order: x, [freq], len per document) or, for a term
  // in many documents, big: {n: [df per field], c: [[file, R, freq, len
  // per field], ...]}, its impact chunks (see termImpacts in export.go).
  function leaf(st, term, fi, boost) {
    var lists = st.terms[term];
    if (lists && lists.c) {
      return { leaf: true, term: term, fi: fi, boost: boost, postings: null, big: lists.n[fi] ? lists : null, count: lists.n[fi] };
    }
    var ps = lists ? lists[fi] : 0;
    var df = 0;
    if (ps) {
      for (var i = 0; i < ps.length; i++) { df++; if (ps[i] & 1) { i++; } i++; }
    }
    return { leaf: true, term: term, fi: fi, boost: boost, postings: ps || null, big: null, count: df };
  }

  // hasField says whether a term's postings entry has field fi.
  function hasField(lists, fi) { return lists.c ? lists.n[fi] > 0 : lists[fi] !== 0; }

  // loadedChunks is how many of a term's impact chunks, from the first,
  // are loaded: they are loaded in order, so that the next one's bounds
  // hold for every unread document.
  function loadedChunks(st, big) {
    var k = 0;
    while (k < big.c.length && big.c[k][0] >= 0 && st.imp[big.c[k][0]]) { k++; }
    return k;
  }

  // goSort sorts xs by count exactly as Go's sort.Sort (pdqsort, go1.19+)
  // does, ties included: Bleve's slice disjunction sorts its children so.
  function goSort(xs) {
    function less(i, j) { return xs[i].count < xs[j].count; }
    function swap(i, j) { var t = xs[i]; xs[i] = xs[j]; xs[j] = t; }
    function bitsLen(n) { var k = 0; while (n > 0) { k++; n = Math.floor(n / 2); } return k; }
    function insertionSort(a, b) {
      for (var i = a + 1; i < b; i++) {
        for (var j = i; j > a && less(j, j - 1); j--) { swap(j, j - 1); }
      }
    }
    function siftDown(lo, hi, first) {
      var root = lo;
      for (;;) {
        var child = 2 * root + 1;
        if (child >= hi) { return; }
        if (child + 1 < hi && less(first + child, first + child + 1)) { child++; }
        if (!less(first + root, first + child)) { return; }
        swap(first + root, first + child);
        root = child;
      }
    }
    function heapSort(a, b) {
      var first = a, hi = b - a, i;
      for (i = Math.floor((hi - 1) / 2); i >= 0; i--) { siftDown(i, hi, first); }
      for (i = hi - 1; i >= 0; i--) { swap(first, first + i); siftDown(0, i, first); }
    }
    function breakPatterns(a, b) {
      var length = b - a;
      if (length < 8) { return; }
      // xorshift over a uint64 held as two uint32 halves.
      var hi = Math.floor(length / 4294967296) >>> 0, lo = length >>> 0;
      var mask = Math.pow(2, bitsLen(length)) - 1;
      for (var idx = a + Math.floor(length / 4) * 2 - 1; idx <= a + Math.floor(length / 4) * 2 + 1; idx++) {
        var h, l;
        h = ((hi << 13) | (lo >>> 19)) >>> 0; l = (lo << 13) >>> 0; hi = (hi ^ h) >>> 0; lo = (lo ^ l) >>> 0;
        l = ((lo >>> 7) | (hi << 25)) >>> 0; h = hi >>> 7; hi = (hi ^ h) >>> 0; lo = (lo ^ l) >>> 0;
        h = ((hi << 17) | (lo >>> 15)) >>> 0; l = (lo << 17) >>> 0; hi = (hi ^ h) >>> 0; lo = (lo ^ l) >>> 0;
        var other = (lo & mask) >>> 0;
        if (other >= length) { other -= length; }
        swap(idx, a + other);
      }
    }
    function order2(a, b, sw) { if (less(b, a)) { sw.n++; return [b, a]; } return [a, b]; }
    function median(a, b, c, sw) {
      var r = order2(a, b, sw); a = r[0]; b = r[1];
      r = order2(b, c, sw); b = r[0]; c = r[1];
      r = order2(a, b, sw); a = r[0]; b = r[1];
      return b;
    }
    function choosePivot(a, b) { // [pivot, hint]: hint 0 unknown, 1 increasing, 2 decreasing
      var l = b - a, sw = { n: 0 };
      var i = a + Math.floor(l / 4), j = a + Math.floor(l / 4) * 2, k = a + Math.floor(l / 4) * 3;
      if (l >= 8) {
        if (l >= 50) {
          i = median(i - 1, i, i + 1, sw);
          j = median(j - 1, j, j + 1, sw);
          k = median(k - 1, k, k + 1, sw);
        }
        j = median(i, j, k, sw);
      }
      return [j, sw.n === 0 ? 1 : sw.n === 12 ? 2 : 0];
    }
    function reverseRange(a, b) { for (var i = a, j = b - 1; i < j; i++, j--) { swap(i, j); } }
    function partialInsertionSort(a, b) {
      var i = a + 1;
      for (var step = 0; step < 5; step++) {
        while (i < b && !less(i, i - 1)) { i++; }
        if (i === b) { return true; }
        if (b - a < 50) { return false; }
        swap(i, i - 1);
        var j;
        if (i - a >= 2) {
          for (j = i - 1; j >= 1; j--) { if (!less(j, j - 1)) { break; } swap(j, j - 1); }
        }
        if (b - i >= 2) {
          for (j = i + 1; j < b; j++) { if (!less(j, j - 1)) { break; } swap(j, j - 1); }
        }
      }
      return false;
    }
    function partition(a, b, pivot) { // [newpivot, alreadyPartitioned]
      swap(a, pivot);
      var i = a + 1, j = b - 1;
      while (i <= j && less(i, a)) { i++; }
      while (i <= j && !less(j, a)) { j--; }
      if (i > j) { swap(j, a); return [j, true]; }
      swap(i, j); i++; j--;
      for (;;) {
        while (i <= j && less(i, a)) { i++; }
        while (i <= j && !less(j, a)) { j--; }
        if (i > j) { break; }
        swap(i, j); i++; j--;
      }
      swap(j, a);
      return [j, false];
    }
    function partitionEqual(a, b, pivot) {
      swap(a, pivot);
      var i = a + 1, j = b - 1;
      for (;;) {
        while (i <= j && !less(a, i)) { i++; }
        while (i <= j && less(a, j)) { j--; }
        if (i > j) { break; }
        swap(i, j); i++; j--;
      }
      return i;
    }
    function pdqsort(a, b, limit) {
      var wasBalanced = true, wasPartitioned = true;
      for (;;) {
        var length = b - a;
        if (length <= 12) { insertionSort(a, b); return; }
        if (limit === 0) { heapSort(a, b); return; }
        if (!wasBalanced) { breakPatterns(a, b); limit--; }
        var ph = choosePivot(a, b), pivot = ph[0], hint = ph[1];
        if (hint === 2) {
          reverseRange(a, b);
          pivot = (b - 1) - (pivot - a);
          hint = 1;
        }
        if (wasBalanced && wasPartitioned && hint === 1) {
          if (partialInsertionSort(a, b)) { return; }
        }
        if (a > 0 && !less(a - 1, pivot)) {
          a = partitionEqual(a, b, pivot);
          continue;
        }
        var pr = partition(a, b, pivot), mid = pr[0];
        wasPartitioned = pr[1];
        var leftLen = mid - a, rightLen = b - mid, balanceThreshold = Math.floor(length / 8);
        if (leftLen < rightLen) {
          wasBalanced = leftLen >= balanceThreshold;
          pdqsort(a, mid, limit);
          a = mid + 1;
        } else {
          wasBalanced = rightLen >= balanceThreshold;
          pdqsort(mid + 1, b, limit);
          b = mid;
        }
      }
    }
    if (xs.length > 1) { pdqsort(0, xs.length, bitsLen(xs.length)); }
    return xs;
  }

  function or(kids) {
    var c = 0;
    for (var i = 0; i < kids.length; i++) { c += kids[i].count; }
    // Bleve's slice disjunction (gen sets DisjunctionHeapTakeover so that
    // every disjunction is one) sorts its children by Count with sort.Sort
    // and sums them in that order.
    return { leaf: false, kids: goSort(kids.slice()), count: c };
  }

  function clauseNode(st, c, fi) {
    var B = st.entry.boost[fi];
    if (c.kind === 'term') { return leaf(st, c.text, fi, B); }
    var cands = c.cands[fi];
    // No candidates, or only the text itself: a plain term searcher.
    if (cands.length === 0 || (cands.length === 1 && cands[0].term === c.text)) { return leaf(st, c.text, fi, B); }
    var kids = [];
    for (var i = 0; i < cands.length; i++) {
      kids.push(leaf(st, cands[i].term, fi, c.kind === 'fuzzy' ? B * (1 / (cands[i].dist + 1)) : B));
    }
    return or(kids);
  }

  function weight(node, n) {
    if (node.leaf) {
      node.idf = 1 + Math.log(n / (node.count + 1));
      var w = node.boost * node.idf;
      return w * w;
    }
    var s = 0;
    for (var i = 0; i < node.kids.length; i++) { s += weight(node.kids[i], n); }
    return s;
  }

  // evaluate returns {docs, score} for node: the matching docs (ascending
  // above the leaves) and their scores in a Float64Array indexed by doc,
  // from the postings loaded so far. With ub (see refine) it returns upper
  // bounds instead: a term not read to its end also "matches" every
  // other document of ub.seen, with the best score its unread postings
  // could give, and marks those documents in ub.virt. Every step of the
  // score (sums in a fixed order, products, coord) is monotone in its
  // inputs, in floating point too, so the bound holds exactly.
  function evaluate(node, st, qnorm, scratch, ub) {
    if (node.leaf) {
      var ps = node.postings, docs = [], score = scratch.get(), s, doc = 0, i;
      var qw = node.boost * node.idf * qnorm;
      if (ps) {
        for (i = 0; i < ps.length; i++) {
          var x = ps[i], freq = 1;
          doc += x >> 1;
          if (x & 1) { freq = ps[++i]; }
          var norm = fround(1 / Math.sqrt(ps[++i]));
          s = Math.sqrt(freq) * norm * node.idf;
          if (qw !== 1) { s = s * qw; }
          docs.push(doc);
          score[doc] = s;
        }
        return { docs: docs, score: score };
      }
      if (node.big && st.full[node.big.b]) {
        // The full list is loaded: an ordinary leaf from now on.
        node.postings = st.full[node.big.b][node.fi];
        node.big = null;
        return evaluate(node, st, qnorm, scratch, ub);
      }
      if (!node.big) { return { docs: docs, score: score }; }
      var big = node.big, c = big.c, nf = big.n.length, nl = loadedChunks(st, big);
      node.nLoaded = nl;
      if (ub) { ub.stamp++; }
      for (var k = 0; k < nl; k++) {
        var a = st.imp[c[k][0]];
        doc = 0;
        for (i = 0; i < a.length;) {
          doc += a[i++];
          // The document is known in every field now, matched or not.
          if (ub) { ub.mark[doc] = ub.stamp; }
          for (var f = 0; f < nf; f++) {
            if (!big.n[f]) { continue; }
            var fr = a[i++];
            if (fr === 0) { continue; }
            var fl = a[i++];
            if (f !== node.fi) { continue; }
            s = Math.sqrt(fr) * fround(1 / Math.sqrt(fl)) * node.idf;
            if (qw !== 1) { s = s * qw; }
            docs.push(doc);
            score[doc] = s;
          }
        }
      }
      var cf = nl < c.length ? c[nl][2 + 2 * node.fi] : 0;
      if (ub && cf > 0) {
        var r;
        if (ub.field >= 0) {
          // What the term can add in all its fields together (R, see
          // unseenBound) as if it all went to field ub.field; its other
          // fields still count as matched, for the coord factors.
          r = node.fi !== ub.field ? 0 : c[nl][1] * (node.boost / st.entry.boost[node.fi]) * qnorm * (1 + 1e-9);
        } else {
          r = Math.sqrt(cf) * fround(1 / Math.sqrt(c[nl][3 + 2 * node.fi])) * node.idf;
          if (qw !== 1) { r = r * qw; }
        }
        for (i = 0; i < ub.seen.length; i++) {
          var d = ub.seen[i];
          if (ub.mark[d] === ub.stamp) { continue; }
          docs.push(d);
          score[d] = r;
          ub.virt[d] = 1;
          var vt = ub.term[d];
          ub.term[d] = vt === -1 || vt === node.tid ? node.tid : -2;
        }
      }
      return { docs: docs, score: score };
    }
    var sum = scratch.get(), cnt = scratch.getCounts(), all = [];
    for (var k = 0; k < node.kids.length; k++) {
      var r = evaluate(node.kids[k], st, qnorm, scratch, ub);
      for (var j = 0; j < r.docs.length; j++) {
        var d = r.docs[j];
        if (cnt[d] === 0) { all.push(d); sum[d] = 0; }
        cnt[d]++;
        sum[d] += r.score[d];
      }
      scratch.put(r.score);
    }
    all.sort(function (a, b) { return a - b; });
    var total = node.kids.length;
    for (var m = 0; m < all.length; m++) {
      var dd = all[m];
      sum[dd] = sum[dd] * (cnt[dd] / total);
      cnt[dd] = 0;
    }
    scratch.putCounts(cnt);
    return { docs: all, score: sum };
  }

  function newScratch(n) {
    // Score arrays need no clearing (only matched docs are read); count
    // arrays are cleared by their user before they come back.
    var pool = [], counts = [];
    return {
      get: function () { return pool.length ? pool.pop() : new Float64Array(n); },
      put: function (a) { pool.push(a); },
      getCounts: function () { return counts.length ? counts.pop() : new Int32Array(n); },
      putCounts: function (a) { counts.push(a); }
    };
  }

  // shardName is the path, under the index's folder, of the nth file of
  // kind: entry.folder files of a kind share a folder (see shardPath in
  // export.go).
  function shardName(st, kind, n) { return kind + Math.floor(n / st.entry.folder) + '/' + n + '.js'; }

  // resultRow returns the loaded row of doc in its result file: id, url,
  // title, section, category and excerpt source.
  function resultFile(st, doc) { return shardName(st, 'r', Math.floor(doc / st.entry.result[0])); }
  function resultRow(st, doc) { return st.result[Math.floor(doc / st.entry.result[0])][doc % st.entry.result[0]]; }

  // search answers q: a Promise of the best limit hits.
  function search(q, opts) {
    var limit = opts && opts.limit !== undefined ? opts.limit : 10;
    var st = getState();
    return loadEntry(st).then(function () {
      var E = st.entry;
      var cs = plan(String(q == null ? '' : q), E.limits);
      if (!cs.length || E.n === 0 || !(limit > 0)) { return []; }
      var need = [], i, f, k;
      var fuzzyShards = Object.create(null);
      for (i = 0; i < cs.length; i++) {
        var c = cs[i];
        if (c.kind === 'term') { if (E.post.length) { need.push(shardName(st, 'p', shardOf(E.post, c.text))); } }
        else if (c.kind === 'prefix') {
          var ps = shardsWithPrefix(E.post, c.text);
          for (k = 0; k < ps.length; k++) { need.push(shardName(st, 'p', ps[k])); }
        } else {
          var ds = E.limits.fuzzyPrefix > 0 ? shardsWithPrefix(E.dict, firstRune(c.text)) : null;
          if (!ds) { ds = []; for (k = 0; k < E.dict.length; k++) { ds.push(k); } }
          for (k = 0; k < ds.length; k++) { fuzzyShards[ds[k]] = true; need.push(shardName(st, 'd', ds[k])); }
        }
      }
      return loadAll(st, need).then(function () {
        // Fuzzy candidates come from the dictionary; then their postings.
        var more = [];
        for (i = 0; i < cs.length; i++) {
          var c = cs[i];
          if (c.kind !== 'fuzzy') { continue; }
          c.fuzzyAll = fuzzyCandidates(st, c);
          c.cands = [];
          for (f = 0; f < E.fields.length; f++) { c.cands.push(candidates(st, c, f)); }
          for (k = 0; k < c.fuzzyAll.length; k++) { more.push(shardName(st, 'p', shardOf(E.post, c.fuzzyAll[k].term))); }
        }
        return loadAll(st, more);
      }).then(function () {
        return score(st, cs, limit);
      });
    });
  }

  function score(st, cs, limit) {
    var E = st.entry, i, f;
    var fields = [];
    for (f = 0; f < E.fields.length; f++) {
      var kids = [];
      for (i = 0; i < cs.length; i++) {
        var c = cs[i];
        if (c.kind === 'prefix') { c.cands = c.cands || []; c.cands[f] = candidates(st, c, f); }
        kids.push(tagClause(clauseNode(st, c, f), i));
      }
      fields.push(or(kids));
    }
    var top = or(fields);
    return refine(st, top, 1 / Math.sqrt(weight(top, E.n)), limit);
  }

  // tagClause records in each leaf which clause of the query it is from.
  function tagClause(node, i) {
    if (node.leaf) { node.cl = i; return node; }
    for (var k = 0; k < node.kids.length; k++) { tagClause(node.kids[k], i); }
    return node;
  }

  function bigLeaves(node, out) {
    if (node.leaf) { if (node.big) { out.push(node); } return; }
    for (var k = 0; k < node.kids.length; k++) { bigLeaves(node.kids[k], out); }
  }

  // refine ranks top from the postings loaded so far and returns the best
  // limit hits once they are proved, else loads more of every term in
  // many documents that it has not read to its end (its next impact chunk,
  // or its full list) and tries again: the threshold algorithm. A document
  // is exact when every such unfinished term has it in its loaded chunks
  // (a chunk holds all fields of a document); the others, and any document
  // not seen yet (the extra slot n), get upper bounds. The top limit exact
  // documents are Bleve's once no bound reaches the limit-th score (or
  // ties it with a later document: Bleve breaks ties by document order).
  // The full lists make every document exact, so the answer never depends
  // on the bounds being tight.
  function refine(st, top, qnorm, limit) {
    var E = st.entry, n = E.n, i, d;
    var scratch = newScratch(n + 1);
    var r = evaluate(top, st, qnorm, scratch, null);
    var bigs = [], open = [];
    bigLeaves(top, bigs);
    for (i = 0; i < bigs.length; i++) {
      if (bigs[i].nLoaded < bigs[i].big.c.length) { open.push(bigs[i]); }
    }
    var docs = r.docs, sc = r.score;
    var byScore = function (a, b) { return sc[b] - sc[a] || a - b; };
    if (!open.length) {
      docs.sort(byScore);
      return finish(st, docs.slice(0, limit), sc);
    }
    var tids = Object.create(null), nt = 0;
    for (i = 0; i < open.length; i++) {
      if (tids[open[i].term] === undefined) { tids[open[i].term] = nt++; }
      open[i].tid = tids[open[i].term];
    }
    var ub = { seen: docs.concat([n]), virt: new Uint8Array(n + 1), mark: new Int32Array(n + 1), stamp: 0, field: -1, term: new Int32Array(n + 1) };
    for (i = 0; i <= n; i++) { ub.term[i] = -1; }
    // Bound 1: every unfinished field at its own bound.
    var u = evaluate(top, st, qnorm, scratch, ub);
    var exact = [];
    for (i = 0; i < docs.length; i++) { if (!ub.virt[docs[i]]) { exact.push(docs[i]); } }
    exact.sort(byScore);
    var proved = exact.length >= limit;
    var sk = proved ? sc[exact[limit - 1]] : 0, dk = proved ? exact[limit - 1] : 0;
    // beats says whether a document bounded by v may still rank above
    // the limit-th exact one.
    var beats = function (d, v) { return v > sk || (v === sk && (d === n || d < dk)); };
    var failed = [];
    if (proved) {
      for (i = 0; i < u.docs.length; i++) {
        d = u.docs[i];
        if (ub.virt[d] && beats(d, u.score[d])) { failed.push(d); }
      }
    }
    if (proved && failed.length) {
      // Bound 2, for a document unknown in one term only: the most the
      // term adds over all its fields (R) put in one field, the best
      // one; and for a document not seen at all, unseenBound. Every bound
      // holds, so their minimum does. They round differently from the
      // score itself: a relative margin far above any rounding error.
      var alt = new Float64Array(n + 1), fields = Object.create(null);
      for (i = 0; i < open.length; i++) { if (open[i].big.c[open[i].nLoaded][2 + 2 * open[i].fi] > 0) { fields[open[i].fi] = true; } }
      for (var f in fields) {
        ub.field = +f;
        var uf = evaluate(top, st, qnorm, scratch, ub);
        for (i = 0; i < failed.length; i++) {
          d = failed[i];
          if (uf.score[d] > alt[d]) { alt[d] = uf.score[d]; }
        }
        scratch.put(uf.score);
      }
      var unseen = unseenBound(st, top, qnorm) * (1 + 1e-12);
      for (i = 0; i < failed.length && proved; i++) {
        d = failed[i];
        var v = u.score[d];
        if (ub.term[d] >= 0 && alt[d] * (1 + 1e-12) < v) { v = alt[d] * (1 + 1e-12); }
        if (d === n && unseen < v) { v = unseen; }
        if (beats(d, v)) { proved = false; }
      }
    }
    if (proved) { return finish(st, exact.slice(0, limit), sc); }
    // Next: with one unfinished term, its next chunk while there is one;
    // else the full lists. A document that lacks a term can only be told
    // from the full list, and with several terms most documents lack one.
    var names = [];
    for (i = 0; i < open.length; i++) {
      var next = open[i].big.c[open[i].nLoaded][0];
      names.push(nt === 1 && next >= 0 ? shardName(st, 'i', next) : shardName(st, 'b', open[i].big.b));
    }
    return loadAll(st, names).then(function () { return refine(st, top, qnorm, limit); });
  }

  // virtualLeaves marks node.virt on the nodes above a leaf of a term not
  // read to its end that an unread document may still match (its field's
  // bound is not 0).
  function virtualLeaves(st, node) {
    if (node.leaf) {
      node.virt = !!(node.big && node.nLoaded < node.big.c.length && node.big.c[node.nLoaded][2 + 2 * node.fi] > 0);
      return node.virt;
    }
    node.virt = false;
    for (var k = 0; k < node.kids.length; k++) { if (virtualLeaves(st, node.kids[k])) { node.virt = true; } }
    return node.virt;
  }

  // coordMax sets leaf.cmax, the product of the coord factors above each
  // virtual leaf if an unread document matched every virtual leaf: no
  // unread document gets more.
  function coordMax(node, factor) {
    if (node.leaf) { node.cmax = factor; return; }
    var m = 0, k;
    for (k = 0; k < node.kids.length; k++) { if (node.kids[k].virt) { m++; } }
    for (k = 0; k < node.kids.length; k++) { if (node.kids[k].virt) { coordMax(node.kids[k], factor * (m / node.kids.length)); } }
  }

  // unseenBound bounds the score of a document found in no loaded postings
  // (so it matches only unread documents of unfinished terms): per term and
  // clause, the term adds at most R (the key of its next chunk: the sum
  // over fields of impact * idf² * field boost) times the query norm and
  // the largest coord and boost factor of its leaves. It is tighter than
  // the per-field bounds when a term's best unread documents hold it in
  // one field only. The margin covers the different rounding of R.
  function unseenBound(st, top, qnorm) {
    var E = st.entry, best = Object.create(null), sum = 0;
    if (!virtualLeaves(st, top)) { return 0; }
    coordMax(top, 1);
    (function walk(node) {
      if (!node.leaf) { for (var k = 0; k < node.kids.length; k++) { if (node.kids[k].virt) { walk(node.kids[k]); } } return; }
      var key = node.term + '\u0000' + node.cl, w = node.cmax * (node.boost / E.boost[node.fi]) * qnorm;
      var R = node.big.c[node.nLoaded][1];
      if (!best[key] || best[key][0] < w) { best[key] = [w, R]; }
    })(top);
    for (var g in best) { sum += best[g][0] * best[g][1]; }
    return sum * (1 + 1e-9);
  }

  // finish loads the result files of the ranked docs.
  function finish(st, docs, sc) {
    var i;
    var names = [];
    for (i = 0; i < docs.length; i++) { names.push(resultFile(st, docs[i])); }
    return loadAll(st, names).then(function () {
      var out = [];
      for (var j = 0; j < docs.length; j++) {
        var d = docs[j], row = resultRow(st, d);
        out.push({ id: row[0], url: row[1], title: row[2], section: row[3], category: row[4], score: sc[d], doc: d });
      }
      return out;
    });
  }

  // ---- excerpts ----

  function escapeHTML(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  // wordMarks returns the [start, end) offsets of the words of text whose
  // stem equals a stem of want, or extends one of 3+ letters (the word being
  // typed).
  function wordMarks(text, want) {
    var marks = [], spans = [], m, i, j;
    if (!want.length || !text) { return marks; }
    if (segmenter) {
      var iter = segmenter.segment(text)[Symbol.iterator]();
      for (var seg = iter.next(); !seg.done; seg = iter.next()) {
        if (seg.value.isWordLike) { spans.push([seg.value.index, seg.value.index + seg.value.segment.length]); }
      }
    } else {
      wordRe.lastIndex = 0;
      while ((m = wordRe.exec(text)) !== null) { spans.push([m.index, m.index + m[0].length]); }
    }
    for (i = 0; i < spans.length; i++) {
      var t = analyze(text.substring(spans[i][0], spans[i][1]))[0];
      if (!t) { continue; }
      for (j = 0; j < want.length; j++) {
        if (t === want[j] || (want[j].length >= 3 && startsWith(t, want[j]))) { marks.push(spans[i]); break; }
      }
    }
    return marks;
  }

  // queryStems are the stems a query's words are highlighted by: the
  // analysed words, and the word being typed as typed (a stop word so far,
  // or a prefix that stems differently from its completions).
  function queryStems(q) {
    var out = analyze(q), ws = words(q);
    var last = ws.length ? ws[ws.length - 1] : null;
    if (last && last.partial && last.runes >= 2) { out.push(last.lower); }
    return out;
  }

  function marksHTML(text, marks, start, end) {
    var html = '', pos = start;
    for (var x = 0; x < marks.length; x++) {
      html += escapeHTML(text.substring(pos, marks[x][0])) + '<mark>' +
        escapeHTML(text.substring(marks[x][0], marks[x][1])) + '</mark>';
      pos = marks[x][1];
    }
    return html + escapeHTML(text.substring(pos, end));
  }

  // highlight returns {text, marks, html} for any text (a title, a section
  // name): marks are the [start, end) offsets of the query's words in it.
  function highlight(text, q) {
    text = String(text == null ? '' : text);
    var marks = wordMarks(text, queryStems(String(q == null ? '' : q)));
    return { text: text, marks: marks, html: marksHTML(text, marks, 0, text.length) };
  }

  // excerpt returns a Promise of {text, marks, html} for a hit: a window of the
  // document's excerpt source around the first query word, marks being
  // [start, end) offsets of words whose stem matches (or extends) a query stem.
  function excerpt(hit, q, opts) {
    var length = opts && opts.length || 160;
    var st = getState();
    return loadEntry(st).then(function () {
      var doc = hit.doc;
      return load(st, resultFile(st, doc)).then(function () {
        var text = resultRow(st, doc)[5] || '';
        var marks = wordMarks(text, queryStems(String(q == null ? '' : q)));
        var start = 0;
        if (marks.length && marks[0][0] > length / 3) {
          start = marks[0][0] - Math.floor(length / 3);
          var sp = text.indexOf(' ', start);
          if (sp >= 0 && sp < marks[0][0]) { start = sp + 1; }
        }
        var end = Math.min(text.length, start + length);
        // Do not cut a word (or a surrogate pair) in two at the end.
        if (end < text.length) {
          var cut = text.lastIndexOf(' ', end);
          if (cut > start + length / 2) { end = cut; }
        }
        var kept = [];
        for (var x = 0; x < marks.length; x++) {
          if (marks[x][0] < start || marks[x][1] > end) { continue; }
          kept.push(marks[x]);
        }
        var html = (start > 0 ? '\u2026' : '') + marksHTML(text, kept, start, end) + (end < text.length ? '\u2026' : '');
        var rel = [];
        for (var r = 0; r < kept.length; r++) { rel.push([kept[r][0] - start, kept[r][1] - start]); }
        return { text: text.substring(start, end), marks: rel, html: html, before: start > 0, after: end < text.length };
      });
    });
  }

  // suggest returns a Promise of at most limit known terms nearest to the
  // query's words (edit distance up to a third of the word, at least 2),
  // for a query that found nothing: the dictionary shards it reads are the
  // ones a fuzzy query of the same word reads.
  function suggest(q, opts) {
    var limit = opts && opts.limit || 5;
    var st = getState();
    return loadEntry(st).then(function () {
      var E = st.entry, ws = words(String(q == null ? '' : q)), want = [], need = [], k, i;
      for (i = 0; i < ws.length && want.length < 4; i++) {
        var w = ws[i].stem || ws[i].lower;
        if (ws[i].runes >= 2 && ws[i].runes <= E.limits.termRunes) { want.push(w); }
      }
      if (!want.length || !E.dict.length) { return []; }
      for (i = 0; i < want.length; i++) {
        var ds = E.limits.fuzzyPrefix > 0 ? shardsWithPrefix(E.dict, firstRune(want[i])) : null;
        if (!ds) { ds = []; for (k = 0; k < E.dict.length; k++) { ds.push(k); } }
        for (k = 0; k < ds.length; k++) { need.push(shardName(st, 'd', ds[k])); }
      }
      return loadAll(st, need).then(function () {
        var best = [], seen = Object.create(null);
        for (var j = 0; j < want.length; j++) {
          var qc = codePoints(want[j]), max = Math.max(2, Math.floor(qc.length / 3)), rows = distRows(80);
          var pre = E.limits.fuzzyPrefix > 0 ? firstRune(want[j]) : '';
          for (var d = 0; d < st.dict.length; d++) {
            var sh = st.dict[d];
            if (!sh) { continue; }
            for (var t = 0; t < sh.terms.length; t++) {
              var term = sh.terms[t];
              if (seen[term] || term === want[j] || (pre && !startsWith(term, pre))) { continue; }
              var tc = codePoints(term);
              if (tc.length < 2 || tc.length > 64 || /^[0-9]/.test(term)) { continue; }
              var dist = editDistance(qc, tc, max, rows);
              if (dist > max) { continue; }
              seen[term] = true;
              best.push({ term: term, dist: dist, word: j });
            }
          }
        }
        best.sort(function (a, b) { return a.dist - b.dist || a.term.length - b.term.length || compare(a.term, b.term); });
        var out = [];
        for (var b = 0; b < best.length && out.length < limit; b++) { out.push(best[b].term); }
        return out;
      });
    });
  }

  gen.search = search;
  gen.excerpt = excerpt;
  gen.highlight = highlight;
  gen.suggest = suggest;
  // Internals for tests and tools; not a stable API.
  gen._search = { reset: reset, analyze: analyze, stem: stem, tokenize: tokenize, plan: plan, compare: compare, editDistance: editDistance, stopWords: STOP_WORDS, reg: reg };
})(window, typeof document !== 'undefined' ? document : null);
