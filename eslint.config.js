// ESLint: typescript-eslint's `recommended` (syntactic, no type information: fast enough to run in
// `npm test` on every change) plus the layer boundaries of DESIGN.md ("Layers") as import rules.
// `npm run lint` runs it with --report-unused-disable-directives as an error, so a disable comment
// that no longer disables anything fails the run instead of lingering.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import specifier that climbs out of the importing file's folder to `rest` (layers are siblings under src/). */
const up = (rest, message) => ({ regex: `^(\\.\\./)+${rest}`, message });

const INK_OR_REACT = { regex: '^(ink|react)(-[^/]*)?(/|$)', message: 'only the UI (src/ui) imports ink or react' };

/** The ports: the interfaces core programs against and the adapters implement. */
const PORTS = '(ports|logPorts)\\.js$';

/**
 * What adapters may import from core, beyond the domain model: pure logic shared by both sides, which
 * an adapter applies where outside data enters (bounding and sanitising text, the policy's metric
 * names and thresholds the sandbox evaluates, CIDR arithmetic, masking secrets in URLs), and the
 * error that tells a partial answer from a failure.
 */
const CORE_FOR_ADAPTERS = alternatives(
  [
    'model',
    'bounds',
    'sanitize',
    'partial',
    'net',
    'appMetrics',
    'journal/secrets',
    'alarms/deployed',
    'logs/groups',
    'team/wire',
  ],
  'policy/',
);
/** Contracts that core defines and adapters fill in (the deploy gate's readings, the action ids a scenario names): types only. */
const CORE_TYPES_FOR_ADAPTERS = alternatives(['deploy/gate', 'actions/catalogue', 'team/port']);

function alternatives(modules, ...folders) {
  return [...modules.map((m) => `${m}\\.js$`), ...folders].join('|');
}

/**
 * The layer rules as ESLint config objects. `no-restricted-imports` sees static imports and re-exports
 * (typescript-eslint's version also knows `import type`, for the types-only allowances); lazily loaded
 * modules (`await import('…')`) are checked by `no-restricted-syntax` with the same patterns.
 */
function layers(table) {
  return table.map(({ files, ignores, forbidden, typesOnly = [], paths = [] }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths, patterns: [...forbidden, ...typesOnly.map((p) => ({ ...p, allowTypeImports: true }))] },
      ],
      // esquery's regular expressions end at the first "/", so the slashes of a path are written \x2F.
      'no-restricted-syntax': [
        'error',
        ...[...forbidden, ...typesOnly].map(({ regex, message }) => ({
          selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
          message,
        })),
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/', 'dist.tmp-*/', 'dist.old-*/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are reported, except the deliberate ones: `_`-prefixed parameters and the rest
      // sibling that drops a key from an object (`const { secret, ...rest } = o`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests are about terminals and JSON: a regular expression with control characters (an escape
    // sequence to strip or to find) is the point there, never an accident; and a test reads the JSON a
    // command printed as `any` rather than restating the product's types to assert on a few fields.
    files: ['test/**'],
    rules: { 'no-control-regex': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Hooks are called in the same order on every render, and effects list what they read: both are
    // correctness rules of React, not style. (The plugin's React Compiler rules are not enabled: the
    // product does not use the compiler.)
    files: ['src/ui/**/*.{ts,tsx}', 'test/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  ...layers([
    {
      // The core is all the logic and knows no terminal: it reaches the outside only through the ports.
      files: ['src/core/**'],
      forbidden: [
        INK_OR_REACT,
        up('(ui|commands)/', 'core never imports the UI or the commands: they call core'),
        up('(cli|main)\\.js$', 'core never imports the entry points'),
        up(
          `sources/(?!${PORTS})`,
          'core reaches adapters only through the ports (sources/ports.ts, sources/logPorts.ts)',
        ),
      ],
    },
    {
      // Adapters implement the ports with the domain's types and the core's pure helpers (see CORE_FOR_ADAPTERS).
      files: ['src/sources/**'],
      forbidden: [
        INK_OR_REACT,
        up('(ui|commands)/', 'an adapter never imports the UI or the commands'),
        up(
          `core/(?!${CORE_FOR_ADAPTERS}|${CORE_TYPES_FOR_ADAPTERS})`,
          'an adapter imports from core only the model and its pure helpers (eslint.config.js, CORE_FOR_ADAPTERS)',
        ),
      ],
      typesOnly: [up(`core/(${CORE_TYPES_FOR_ADAPTERS})`, 'an adapter may import only types from this core module')],
    },
    {
      // Views read snapshots and dispatch; they never hold an adapter. The port types are allowed (types
      // only) because the cockpit's shell still passes the `Sources` handle through to core functions
      // (App.tsx, cockpit.tsx, hooks/use*Actions.ts); once the cockpit session in core owns it, drop this.
      files: ['src/ui/**'],
      // Outside text reaches the screen only through components/SafeText.tsx, whose Text takes sanitised strings.
      ignores: ['src/ui/components/SafeText.tsx'],
      paths: [
        {
          name: 'ink',
          importNames: ['Text'],
          message:
            "use Text from src/ui/components/SafeText.tsx: it accepts only sanitised strings (core/sanitize.ts's safe`…`, screenLine…)",
        },
      ],
      forbidden: [
        up(`sources/(?!${PORTS})`, 'the UI never imports an adapter: it reads live models (core/live) and dispatches'),
        up('commands/', 'the UI never imports a headless command'),
      ],
      typesOnly: [up(`sources/(${PORTS})`, 'the UI may name the port types, never import values from them')],
    },
  ]),
);
