/**
 * Build-time trim of Preact for the reader widget (not the admin console): removes the parts of
 * `preact/dist/preact.mjs` the widget never uses: 4.5 KB gzip of Preact become 2.8 KB.
 *
 * The widget renders plain HTML elements with class components and function components, keyed
 * lists, `ref` callbacks, `style` strings and bubbling event handlers, into empty containers. It
 * never hydrates, suspends, uses context, portals, error boundaries, SVG or MathML,
 * `dangerouslySetInnerHTML` (it must never set HTML), style objects, capture-phase listeners,
 * `forceUpdate`, setState callbacks, option hooks (preact/hooks, preact/debug, devtools) or the
 * legacy lifecycles (getDerivedStateFromProps, shouldComponentUpdate, componentWill*,
 * getSnapshotBeforeUpdate).
 *
 * Each patch is an exact piece of the minified file of the pinned Preact version and must match
 * exactly once, so upgrading Preact fails the build loudly instead of shipping a half-patched
 * renderer. Only `vite build` of the widget uses it; unit tests run the stock Preact, the e2e tests
 * the trimmed one.
 */
import type { Plugin } from 'vite'

/** [what goes, exact text, replacement] against preact 11.2.0 `dist/preact.mjs`. */
const PATCHES: [why: string, from: string, to: string][] = [
  // diff(): a component's render
  ['resume after suspend', '128&u.__u&&(c=32&u.__u,s=u.__c.__z)&&(r.__u|=c,p=o=[],8==s.nodeType?l=B(s,o):o.push(s),l=o[0]||l),(s=n.__b)&&s(r);', ''],
  ['error boundaries (an error propagates as thrown)', 'v=e.length;try{if(M=r.props', 'if(M=r.props'],
  ['contextType', 'j=(s=V.contextType)&&i[s.__c],L=s?j?j.props.value:s.__:i,', 'L=i,'],
  ['pending error flag', '(d=u.__c)?(r.__c=d,2&d.__g&&(d.__g|=1)):', '(d=u.__c)?r.__c=d:'],
  ['context subscription, setState callbacks', 'j&&j.sub(d),d.state||(d.state={}),d.__n=i,d.__g|=8,d.__h=[],d.__k=[]', 'd.state||(d.state={}),d.__n=i,d.__g|=8,d.__h=[]'],
  [
    'getDerivedStateFromProps',
    'C&&(d.__s||(d.__s=d.state),V.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=_({},d.__s)),_(d.__s,V.getDerivedStateFromProps(M,d.__s)))),',
    'C&&(d.__s||(d.__s=d.state)),',
  ],
  ['componentWillReceiveProps', 'M!==k&&C&&!V.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(M,L),', ''],
  [
    'shouldComponentUpdate (the bail-out on an unchanged vnode stays), setState callbacks',
    '||!(4&d.__g)&&d.shouldComponentUpdate&&!1===d.shouldComponentUpdate(M,d.__s,L)){r.__v!=u.__v&&(d.props=M,d.state=d.__s,d.__g&=-9),r.__e=u.__e,r.__k=u.__k,r.__k.some(function(n){n&&(n.__=r)}),y.push.apply(d.__h,d.__k),d.__k=[],',
    '){r.__e=u.__e,r.__k=u.__k,r.__k.some(function(n){n&&(n.__=r)}),',
  ],
  ['componentWillUpdate', 'd.componentWillUpdate&&d.componentWillUpdate(M,d.__s,L),', ''],
  ['componentWillMount', 'C&&!V.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),', ''],
  ['render option hook, forceUpdate flag', 'd.__P=t,d.__g&=-5,H=n.__r,', 'd.__P=t,'],
  ['render option hook', 'H&&H(r),', ''],
  [
    'setState callbacks, getChildContext, getSnapshotBeforeUpdate',
    'C&&(y.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(i=_({},i,d.getChildContext())),C&&u.__c&&d.getSnapshotBeforeUpdate&&(m=d.getSnapshotBeforeUpdate(k,b)),',
    'd.state=d.__s,',
  ],
  ['portals', 'M.__P&&(s=l,f=(t=M.__P).namespaceURI,c=o=null,u.props&&u.props.__P!=t&&(u.__k.some(function(n){n&&J(n,n)}),u.__k=null),l=u.__k?S(u,0):null),', ''],
  ['portals, resumed DOM', 'M.__P&&(r.__e=null,l=s),r.__u&=-161,p&&p.some(g),', 'r.__u&=-161,'],
  [
    'error boundaries and suspense',
    ',1&d.__g&&(d.__g&=-4)}catch(t){if(e.length=v,r.__v=null,c||o)if(t&&t.then){if(r.__u|=128|c,o){for(~(T=o.indexOf(l||void 0))||(T=o.length);(N=o[T-1])&&8==N.nodeType;)T--;for(;T<o.length;T++)if(N=o[T])if(o[T]=null,O){if(N==P)break}else{if(8!=N.nodeType)break;N.data.startsWith("$s")&&(P=B(O=N))}}if(!O){for(;l&&8==l.nodeType&&l.nextSibling;)l=l.nextSibling;O=l}(s=B(O=r.__c.__z||(r.__c.__z=O)))?(r.__e=O,l=s):r.__e=l,l=l&&l.nextSibling}else o&&o.some(g);else r.__e=u.__e;r.__k||(r.__k=u.__k||[]),t&&t.then||D(r),n.__e(t,r,u)}}',
    '}',
  ],
  ['diffed option hook', 'return(s=n.diffed)&&s(r),l}', 'return l}'],
  [
    'streamed ranges, error recovery (helpers left unused)',
    'function B(n,t){if(n&&8==n.nodeType&&n.data.startsWith("$s"))for(var r=1;n=n.nextSibling;){if(8==n.nodeType)if(n.data.startsWith("$s"))r++;else if(n.data.startsWith("/$s")&&!--r)return n;t&&t.push(n)}}function D(n){n&&(n.__c&&(n.__c.__g|=4),n.__k&&n.__k.some(D))}',
    '',
  ],
  // DOM bookkeeping: portals and streamed (suspense) ranges
  ['portals', '"function"!=typeof n.type||n.props.__P?null:S(n)', '"function"!=typeof n.type?null:S(n)'],
  ['portals', 'if((n=n.__)&&n.__c&&!n.props.__P)', 'if((n=n.__)&&n.__c)'],
  ['portals', 'if(n.props.__P)return t;', ''],
  [
    'comment markers of streamed ranges',
    'for(t&&!t.parentNode&&(t=S(n))&&!t.parentNode&&(t=null),o=n.__e,e=t;e&&8==e.nodeType;)e=e.nextSibling;for(o!=e&&(!u&&r.moveBefore&&o.parentNode?r.moveBefore(o,t):r.insertBefore(o,t||null)),t=o;(t=t&&t.nextSibling)&&8==t.nodeType&&!t.data.startsWith("$s"););return t}',
    'return t&&!t.parentNode&&(t=S(n))&&!t.parentNode&&(t=null),o=n.__e,o!=t&&(!u&&r.moveBefore&&o.parentNode?r.moveBefore(o,t):r.insertBefore(o,t||null)),o&&o.nextSibling}',
  ],
  ['unmount option hook', 'if(n.unmount&&n.unmount(t),!(i=t.ref)', 'if(!(i=t.ref)'],
  ['error boundaries', 'if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){n.__e(t,r)}', 'i.componentWillUnmount&&i.componentWillUnmount();'],
  ['portals, suspense ranges', '"function"!=typeof t.type||u&&!t.props.__P);!u&&(i=t.__c)&&(i=i.__z)&&(f=B(i,o=[]))&&(i==t.__e&&o.some(g),g(f),g(i)),', '"function"!=typeof t.type||u);'],
  ['error boundaries', 'function G(t,r,u,i){try{"function"==typeof t?r?r.__x=t(r)||1:i&&(i=i.__c||i.__e)&&(r=i.__x)&&(i.__x=null,"function"==typeof r?r():t(null)):t.current=r}catch(t){n.__e(t,u)}}', 'function G(t,r,u,i){"function"==typeof t?r?r.__x=t(r)||1:i&&(i=i.__c||i.__e)&&(r=i.__x)&&(i.__x=null,"function"==typeof r?r():t(null)):t.current=r}'],
  // re-render, first render: never hydrating, containers are empty
  ['vnode option hook, hydration', 'n.vnode&&n.vnode(r),z(e,r,u,t.__n,e.namespaceURI,32&u.__u?[i]:null,f,i||S(u),32&u.__u,o)', 'z(e,r,u,t.__n,e.namespaceURI,null,f,i||S(u),0,o)'],
  ['root option hook, document as container, hydration', 'n.__&&n.__(t,r),9==r.nodeType&&(r=r.documentElement),i=(u=t&&32&t.__u)?null:r.__k,', 'i=r.__k,'],
  ['existing DOM in the container, hydration', 'z(r,r.__k,i||p,p,r.namespaceURI,i?null:r.firstChild?d.call(r.childNodes):null,f,i?i.__e:r.firstChild,u,o)', 'z(r,r.__k,i||p,p,r.namespaceURI,null,f,i?i.__e:r.firstChild,0,o)'],
  ['vnode option hook', 'return!o&&n.vnode&&n.vnode(e),e}', 'return e}'],
  // diffElementNodes: HTML elements only, built fresh
  [
    'SVG and MathML namespaces, reuse of existing DOM',
    'if("svg"==C?f="http://www.w3.org/2000/svg":"math"==C?f="http://www.w3.org/1998/Math/MathML":f||(f="http://www.w3.org/1999/xhtml"),o)for(s=0;s<o.length;s++)if((k=o[s])&&(C?k.localName==C:3==k.nodeType)){t=k,o[s]=null;break}if(!t)',
    'if(!t)',
  ],
  ['namespaces, customized built-ins, hydration', 't=M.createElementNS(f,C,x.is?x:a),l&&(n.__m&&n.__m(r,o),l=!1),o=null}', 't=M.createElement(C)}'],
  [
    '<template>, hydration, dangerouslySetInnerHTML',
    'if(a="template"==C&&t.content||t,o="textarea"==C&&null!=x.defaultValue?null:o&&d.call(a.childNodes),!l&&o)for($={},s=0;s<t.attributes.length;s++)$[(k=t.attributes[s]).name]=k.value;for(s in $)k=$[s],"dangerouslySetInnerHTML"==s?y=k:"children"==s',
    'for(s in $)k=$[s],"children"==s',
  ],
  [
    'dangerouslySetInnerHTML, hydration',
    '"children"==s?_=k:"dangerouslySetInnerHTML"==s?h=k:"value"==s?b=k:"checked"==s?m=k:l&&"function"!=typeof k||$[s]===k||N(t,s,k,$[s],f);',
    '"children"==s?_=k:"value"==s?b=k:"checked"==s?m=k:$[s]===k||N(t,s,k,$[s],f);',
  ],
  [
    'dangerouslySetInnerHTML, MathML, hydration, <progress>',
    'h?(l||y&&(h.__html==y.__html||h.__html==t.innerHTML)||(t.innerHTML=h.__html),r.__k=[]):(y&&(t.textContent=""),("foreignObject"==C||"http://www.w3.org/1998/Math/MathML"==f&&v.test(C))&&(f="http://www.w3.org/1999/xhtml"),I(a,w(_)?_:[_],r,u,i,f,o,e,o?o[0]:u.__k&&S(u,0),l,c),o&&o.some(g)),l&&"textarea"!=C||(s="value","progress"==C&&null==b?t.removeAttribute(s):null==b||b===t[s]&&("progress"!=C||b)||N(t,s,b,$[s],f),s="checked",null!=m&&m!=t[s]&&N(t,s,m,$[s],f))}else $===x||l&&t.data==x||(t.data=x);return t}',
    'I(t,w(_)?_:[_],r,u,i,f,null,e,u.__k&&S(u,0),0,c),s="value",null==b||b===t[s]||N(t,s,b,$[s],f),s="checked",null!=m&&m!=t[s]&&N(t,s,m,$[s],f)}else $===x||(t.data=x);return t}',
  ],
  // setProperty, events
  [
    'style objects (the widget sets style as a string)',
    'function T(n,t,r){null==r&&(r=""),"-"==t[0]?n.setProperty(t,r):n[t]=r}function N(n,t,r,u,i){var f,o;if("style"==t)if("string"==typeof r)n.style.cssText=r;else{if("string"==typeof u&&(n.style.cssText=u=""),u)for(t in u)r&&t in r||T(n.style,t);if(r)for(t in r)u&&r[t]==u[t]||T(n.style,t,r[t])}else if(',
    'function N(n,t,r,u,i){var o;if("style"==t)n.style.cssText=r||"";else if(',
  ],
  ['capture-phase listeners', 'f=t!=(t=t.replace(l,"$1")),', ''],
  ['capture-phase listeners', 'r?n.addEventListener(t,o,f):n.removeEventListener(t,o,f)', 'r?n.addEventListener(t,o):n.removeEventListener(t,o)'],
  ['capture-phase listeners', 'l=/(PointerCapture)$|Capture$/i,', ''],
  [
    'SVG attribute names; attributes the widget never sets (width, height, list, form, download, rowSpan, colSpan, popover)',
    'if("http://www.w3.org/2000/svg"==i)t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if("width"!=t&&"height"!=t&&"href"!=t&&"list"!=t&&"form"!=t&&"tabIndex"!=t&&"download"!=t&&"rowSpan"!=t&&"colSpan"!=t&&"role"!=t&&"popover"!=t&&t in n)',
    'if("href"!=t&&"tabIndex"!=t&&"role"!=t&&t in n)',
  ],
  ['popover', 'n.setAttribute(t,"popover"==t&&1==r?"":r)', 'n.setAttribute(t,r)'],
  ['event option hook', 'return u(n.event?n.event(r):r)', 'return u(r)'],
  // commit and the render queue
  [
    'commit option hook, error boundaries',
    'n.__c&&n.__c(r,t),t.some(function(r){try{t=r.__h,r.__h=[],t.some(function(n){n.call(r)})}catch(t){n.__e(t,r.__v)}})',
    't.some(function(r){t=r.__h,r.__h=[],t.some(function(n){n.call(r)})})',
  ],
  ['debounceRendering option', '(8&t.__g||(t.__g|=8,u.push(t),f++))&&i==n.debounceRendering||((i=n.debounceRendering)||queueMicrotask)(H)', '8&t.__g||(t.__g|=8,u.push(t),f++)||queueMicrotask(H)'],
  ['debounceRendering option', '(f=u.length)&&(i||queueMicrotask)(H)', '(f=u.length)&&queueMicrotask(H)'],
  [
    'error boundaries',
    'n={__e:function(n,t,r,u){for(var i,o,e;t=t.__;)if((i=t.__c)&&!(1&i.__g)){i.__g|=4;try{if((e=(o=i.constructor)&&o.getDerivedStateFromError)&&i.setState(o.getDerivedStateFromError(n)),i.componentDidCatch&&(i.componentDidCatch(n,u||{}),e=1),e&&8&i.__g)return void(i.__g|=2)}catch(t){n=t}}throw f=0,n}},',
    'n={},',
  ],
  ['setState callbacks', 'n&&(_(r,n),this.__v&&(t&&this.__k.push(t),L(this)))', 'n&&(_(r,n),this.__v&&L(this))'],
  ['forceUpdate', 'x.prototype.forceUpdate=function(n){this.__v&&(this.__g|=4,n&&this.__h.push(n),L(this))},', ''],
]

/** Applies every patch to Preact's minified module; throws when one does not match exactly once. */
export function trimPreact(code: string): string {
  for (const [why, from, to] of PATCHES) {
    const count = code.split(from).length - 1
    if (count !== 1) throw new Error(`[slim-preact] the "${why}" patch matched ${count} times: update widget/build/slim-preact.ts for this Preact version`)
    code = code.replace(from, () => to)
  }
  return code
}

/** Vite plugin: trims `preact/dist/preact.mjs` in production builds. */
export function slimPreact(): Plugin {
  return {
    name: 'voxpop:slim-preact',
    apply: 'build',
    transform(code, id) {
      if (/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/.test(id)) return { code: trimPreact(code), map: null }
    },
  }
}
