// Nest 12 and some of its dependencies ship ESM only; swc turns them into CommonJS for Jest.
const esmPackages = [
  '@nestjs',
  'file-type',
  'uid',
  'load-esm',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'openid-client',
  'oauth4webapi',
  'jose',
  'otplib',
  '@otplib',
  '@scure',
  '@noble',
].join('|');

const swcTransform = [
  '@swc/jest',
  {
    // .swcrc excludes specs from the build; the test transform must not inherit that.
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swcTransform },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleNameMapper: { '^@scope-ledger/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  // A test server starts in a few seconds; the first start in a worker also loads the whole server,
  // which is slow on a busy machine.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.contract-spec.ts'],
    },
    {
      ...shared,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/**/*.contract-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    // Stops and starts the PostgreSQL server itself: run alone, after the PostgreSQL suites.
    { ...shared, displayName: 'restart', testMatch: ['<rootDir>/test/**/*.restart-spec.ts'] },
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    {
      ...shared,
      displayName: 'poppler',
      testMatch: ['<rootDir>/libs/**/*.poppler-spec.ts', '<rootDir>/test/**/*.poppler-spec.ts'],
    },
  ],
};
