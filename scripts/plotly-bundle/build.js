// Builds ../../assets/plotly-observatoire.min.js: the trace types of entry.js on plotly.js's core, with
// the options of plotly.js's own esbuild configuration (esbuild-config.js of the plotly.js package).
'use strict';
const path = require('path');
const version = require('plotly.js/package.json').version;

require('esbuild')
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: path.join(__dirname, '..', '..', 'assets', 'plotly-observatoire.min.js'),
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none',
        target: 'es2016',
        // maplibre's stylesheet (map traces, not bundled) would be written beside the script
        loader: { '.css': 'empty' },
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
        banner: {
            js:
                `/*! plotly.js v${version} partial bundle (core, bar, choropleth, scattergeo) | ` +
                '(c) Plotly, Inc. | MIT license | built by scripts/plotly-bundle/build.js */'
        },
        logLevel: 'info'
    })
    .catch(() => process.exit(1));
