"Build script: all package metadata comes from settings.ini (no pkg_resources: setuptools 84 dropped it)."
from configparser import ConfigParser
from pathlib import Path
import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
reqs = lambda key: cfg.get(key, '').split()
statuses = {'1': 'Planning', '2': 'Pre-Alpha', '3': 'Alpha', '4': 'Beta', '5': 'Production/Stable'}

setuptools.setup(
    name=cfg['dist_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=(here/'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    keywords=cfg['keywords'].split(),
    author=cfg['author'], author_email=cfg['author_email'],
    license=cfg['license'],
    url=cfg['git_url'],
    classifiers=[f"Development Status :: {cfg['status']} - {statuses[cfg['status']]}",
                 'Intended Audience :: Science/Research', 'Programming Language :: Python :: 3 :: Only',
                 'Topic :: Scientific/Engineering :: Artificial Intelligence'],
    python_requires=f">={cfg['min_python']}",
    packages=setuptools.find_packages(include=[cfg['lib_name'], f"{cfg['lib_name']}.*"]),
    include_package_data=True,
    install_requires=reqs('requirements'),
    extras_require={'dev': reqs('dev_requirements'), 'faiss': reqs('faiss_requirements'),
                    'distributed': reqs('distributed_requirements')},
    entry_points={'console_scripts': reqs('console_scripts'),
                  'nbdev': [f"{cfg['lib_name']}={cfg['lib_name']}._modidx:d"]},
    zip_safe=False,
)
