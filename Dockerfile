# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pyproject.toml ./
COPY . .
# deduce's lookup cache, built once into the image where every user can read it.
ENV BUURTWIJS_DEDUCE_CACHE=/opt/buurtwijs-cache
RUN pip install --no-cache-dir -e . \
    && TZ=Europe/Amsterdam python -c "from signalen.intake.scrub import warm; warm()" \
    && python manage.py compile_translations \
    && DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput -v 0
RUN useradd --create-home buurtwijs && mkdir -p /app/var/media && chown -R buurtwijs /app/var
USER buurtwijs
EXPOSE 8000
